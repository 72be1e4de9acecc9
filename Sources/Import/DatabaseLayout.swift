import MariaDB
import PHPList

/// Every table of one PHPList database under its prefixes, read from `information_schema`, plus the
/// version PHPList recorded. Used for the source (2.x or 3.x, any charset) and for the target.
struct DatabaseLayout: Sendable {
    let database: String
    let tables: TableNames
    let version: String?
    private let layouts: [String: TableLayout]

    /// "2.x" when the subscriber table lacks 3.x's `uuid` column (or the version says so), else "3.x".
    var generation: String {
        if let version, version.hasPrefix("1.") || version.hasPrefix("2.") { return "2.x" }
        return table(tables.user)?.has("uuid") == true ? "3.x" : "2.x"
    }

    func table(_ name: String) -> TableLayout? { layouts[name.lowercased()] }

    static func read(_ connection: MariaDBConnection, tables: TableNames) throws -> DatabaseLayout {
        let database = try connection.query("SELECT DATABASE() AS db").first?.decode("db", as: String?.self) ?? ""
        let rows = try connection.query(
            """
            SELECT TABLE_NAME AS t, COLUMN_NAME AS c, LOWER(CHARACTER_SET_NAME) AS cs FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION
            """
        )
        var columns: [String: (name: String, columns: [TableLayout.Column])] = [:]
        for row in rows {
            let table = try row.decode("t", as: String.self)
            let column = TableLayout.Column(name: try row.decode("c", as: String.self).lowercased(),
                                            charset: try row.decode("cs", as: String?.self))
            columns[table.lowercased(), default: (table, [])].columns.append(column)
        }
        var layouts: [String: TableLayout] = [:]
        for (key, value) in columns { layouts[key] = TableLayout(name: value.name, columns: value.columns) }
        var version: String?
        if let config = layouts[tables.config.lowercased()] {
            version = try connection.query("SELECT \(config.selectList(["value"])) FROM `\(config.name)` WHERE item = 'version'")
                .first.map { row -> String? in
                    var stats = EncodingStats()
                    return config.decode(row, stats: &stats).string("value")
                } ?? nil
        }
        return DatabaseLayout(database: database, tables: tables, version: version, layouts: layouts)
    }
}
