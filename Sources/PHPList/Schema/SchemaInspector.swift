import Foundation
import MariaDB

/// Recognises a PHPList database by its tables and columns (read from `information_schema`), never
/// by trusting the `version` value alone.
struct SchemaInspector {
    let pool: MariaDBPool
    let tables: TableNames

    func inspect() async throws -> SchemaReport {
        let database = try await currentDatabase()
        let present = try await columnsByTable()
        let table = { (path: KeyPath<TableNames, String>) in self.tables[keyPath: path] }

        let core = [table(\.config), table(\.message), table(\.user)]
        guard core.contains(where: { present[$0.lowercased()] != nil }) else {
            throw PHPListError.notPHPList(database: database, prefix: tables.prefix, userPrefix: tables.userPrefix)
        }

        var missing: [String] = []
        for required in RequiredSchema.tables {
            let name = table(required.name)
            guard let columns = present[name.lowercased()] else {
                missing.append("table \(name)")
                continue
            }
            for column in required.columns where !columns.contains(column) {
                missing.append("column \(name).\(column)")
            }
        }
        let version = try await versionValue(hasConfig: present[table(\.config).lowercased()] != nil)
        let lacksVersion3Markers = RequiredSchema.version3Markers.contains { path, column in
            present[table(path).lowercased()].map { !$0.contains(column) } ?? false
        }
        if lacksVersion3Markers || (version.map { $0.hasPrefix("2.") || $0.hasPrefix("1.") } ?? false) {
            throw PHPListError.version2(database: database, version: version, missing: missing)
        }
        guard missing.isEmpty else { throw PHPListError.incompleteSchema(database: database, missing: missing) }
        return SchemaReport(version: version ?? "unknown", tables: tables, database: database)
    }

    private func currentDatabase() async throws -> String {
        let rows = try await pool.query("SELECT DATABASE() AS db")
        guard let name = try rows.first?.decode("db", as: String?.self) else {
            throw PHPListError.notPHPList(database: "(none selected)", prefix: tables.prefix, userPrefix: tables.userPrefix)
        }
        return name
    }

    /// Lower-cased table name → its column names, for every table under either prefix.
    private func columnsByTable() async throws -> [String: Set<String>] {
        let rows = try await pool.query(
            """
            SELECT LOWER(TABLE_NAME) AS t, LOWER(COLUMN_NAME) AS c FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() AND (TABLE_NAME LIKE CONCAT(?, '%') OR TABLE_NAME LIKE CONCAT(?, '%'))
            """,
            [escapeLike(tables.prefix), escapeLike(tables.userPrefix)]
        )
        var result: [String: Set<String>] = [:]
        for row in rows {
            result[try row.decode("t", as: String.self), default: []].insert(try row.decode("c", as: String.self))
        }
        return result
    }

    private func versionValue(hasConfig: Bool) async throws -> String? {
        guard hasConfig else { return nil }
        let rows = try await pool.query("SELECT value FROM \(tables.config) WHERE item = 'version'")
        return try rows.first?.decode("value", as: String?.self)
    }

    private func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "_", with: "\\_")
            .replacingOccurrences(of: "%", with: "\\%")
    }
}
