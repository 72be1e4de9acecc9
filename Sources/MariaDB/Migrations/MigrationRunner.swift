import Foundation

/// Applies Facteur's numbered migrations to its own `facteur_*` tables, recording each in
/// `facteur_schema_migrations`. PHPList's tables are never touched: a statement that names any other
/// table is refused before anything runs.
///
/// MariaDB commits DDL implicitly, so a failing migration cannot be rolled back by a transaction;
/// instead the tables it created are dropped again, which restores the database because migrations
/// only create `facteur_*` tables or alter ones the same migration created.
public struct MigrationRunner: Sendable {
    public struct AppliedMigration: Sendable, Equatable {
        public let version: Int
        public let name: String
        public let appliedAt: String
    }

    public struct Status: Sendable, Equatable {
        public let applied: [AppliedMigration]
        public let pending: [Migration]
    }

    static let historyTable = "facteur_schema_migrations"
    static let lockName = "facteur_migrate"

    public let pool: MariaDBPool
    public let migrations: [Migration]

    public init(pool: MariaDBPool, migrations: [Migration]) {
        self.pool = pool
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    public func status() async throws -> Status {
        let migrations = self.migrations
        return try await pool.withConnection { connection in
            try Self.ensureHistoryTable(connection)
            let applied = try Self.appliedMigrations(connection)
            for row in applied where !migrations.contains(where: { $0.version == row.version }) {
                throw MigrationError.appliedButMissing(version: row.version, name: row.name)
            }
            let done = Set(applied.map(\.version))
            return Status(applied: applied, pending: migrations.filter { !done.contains($0.version) })
        }
    }

    /// Applies what is pending, in order; returns the migrations applied (empty when up to date).
    /// Holds a server-side named lock so two hosts migrating at once do not interleave.
    @discardableResult
    public func migrate() async throws -> [Migration] {
        for migration in migrations { try Self.checkOnlyOwnTables(migration) }
        let migrations = self.migrations
        return try await pool.withConnection { connection in
            // Lock names are server-wide: one per database, so migrating another database on the same server
            // (another installation, parallel tests) does not wait for this one.
            let locked = try connection.query("SELECT GET_LOCK(LEFT(CONCAT(?, '.', DATABASE()), 64), 60) AS l", [Self.lockName])
            guard try locked.first?.decode("l", as: Int?.self) == 1 else { throw MigrationError.lockBusy }
            defer { _ = try? connection.query("SELECT RELEASE_LOCK(LEFT(CONCAT(?, '.', DATABASE()), 64)) AS r", [Self.lockName]) }
            try Self.ensureHistoryTable(connection)
            let done = Set(try Self.appliedMigrations(connection).map(\.version))
            var applied: [Migration] = []
            for migration in migrations where !done.contains(migration.version) {
                try Self.apply(migration, on: connection)
                applied.append(migration)
            }
            return applied
        }
    }

    private static func apply(_ migration: Migration, on connection: MariaDBConnection) throws {
        let before = try facteurTables(connection)
        for statement in SQLScript.statements(in: migration.sql) {
            do {
                _ = try connection.execute(statement.text)
            } catch {
                for table in try facteurTables(connection).subtracting(before) {
                    _ = try? connection.execute("DROP TABLE IF EXISTS `\(table)`")
                }
                throw MigrationError.statementFailed(
                    file: migration.file, line: statement.line, statement: statement.text, error: error
                )
            }
        }
        _ = try connection.execute(
            "INSERT INTO \(historyTable) (version, name, applied_at) VALUES (?, ?, NOW())",
            [migration.version, migration.name]
        )
    }

    private static func ensureHistoryTable(_ connection: MariaDBConnection) throws {
        _ = try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS \(historyTable) (
              version INT NOT NULL PRIMARY KEY,
              name VARCHAR(255) NOT NULL,
              applied_at DATETIME NOT NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
            """
        )
    }

    private static func appliedMigrations(_ connection: MariaDBConnection) throws -> [AppliedMigration] {
        try connection.query("SELECT version, name, applied_at FROM \(historyTable) ORDER BY version").map { row in
            let at: MariaDBDateTime = try row.decode("applied_at")
            return AppliedMigration(version: try row.decode("version"), name: try row.decode("name"), appliedAt: at.sql)
        }
    }

    private static func facteurTables(_ connection: MariaDBConnection) throws -> Set<String> {
        let rows = try connection.query(
            "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'facteur\\_%'"
        )
        return Set(try rows.map { try $0.decode("t", as: String.self) })
    }

    /// Where a statement names a table: CREATE/ALTER/DROP/RENAME TABLE, INSERT/REPLACE INTO, UPDATE,
    /// DELETE FROM, CREATE INDEX … ON, REFERENCES, and the target of RENAME … TO.
    private static let tableReference = try! NSRegularExpression(
        pattern: #"(?:\bTABLE(?:\s+IF\s+(?:NOT\s+)?EXISTS)?|\bINTO|^\s*UPDATE|^\s*DELETE\s+FROM|\bINDEX\s+`?\w+`?\s+ON|\bREFERENCES|\bTABLE\s+`?\w+`?\s+TO)\s+`?([A-Za-z0-9_$.]+)`?"#,
        options: [.caseInsensitive, .anchorsMatchLines]
    )

    static func checkOnlyOwnTables(_ migration: Migration) throws(MigrationError) {
        for statement in SQLScript.statements(in: migration.sql) {
            let text = statement.text
            for match in tableReference.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let r = Range(match.range(at: 1), in: text) else { continue }
                let name = text[r].split(separator: ".").last.map(String.init) ?? ""
                if !name.lowercased().hasPrefix("facteur_") {
                    throw .touchesForeignTable(file: migration.file, line: statement.line, statement: text)
                }
            }
        }
    }
}
