import Logging
import MariaDB

/// PHPList's tables in one MariaDB database, under the installation's prefixes: the one door through
/// which the rest of Facteur reads (and, later, writes) what PHPList's UI shows.
public struct PHPListDatabase: Sendable {
    public let pool: MariaDBPool
    public let tables: TableNames

    public init(pool: MariaDBPool, tables: TableNames = TableNames()) {
        self.pool = pool
        self.tables = tables
    }

    /// Checks that this is a PHPList 3 database with everything Facteur needs; throws a `PHPListError`
    /// naming what is missing otherwise (and pointing 2.x databases to `facteur import`).
    public func inspectSchema() async throws -> SchemaReport {
        try await SchemaInspector(pool: pool, tables: tables).inspect()
    }
}
