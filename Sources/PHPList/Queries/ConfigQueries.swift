import MariaDB

extension PHPListDatabase {
    /// One value of PHPList's `config` table; nil when the item is absent.
    public func configValue(_ item: String) async throws -> String? {
        let rows = try await pool.query("SELECT value FROM \(tables.config) WHERE item = ?", [item])
        return try rows.first?.decode("value", as: String?.self)
    }

    /// All of PHPList's `config` items.
    public func configValues() async throws -> [String: String] {
        let rows = try await pool.query("SELECT item, value FROM \(tables.config)")
        var values: [String: String] = [:]
        for row in rows {
            values[try row.decode("item", as: String.self)] = try row.decode("value", as: String?.self) ?? ""
        }
        return values
    }

    /// Creates a config item the way PHPList's `getConfig` does for a default it needs (only if absent,
    /// so a value the admin saved meanwhile is never overwritten). Returns the value now stored.
    @discardableResult
    public func ensureConfigValue(_ item: String, default value: String, editable: Bool = true) async throws -> String {
        try await pool.execute(
            "INSERT IGNORE INTO \(tables.config) (item, value, editable) VALUES (?, ?, ?)",
            [item, value, editable ? 1 : 0]
        )
        return try await configValue(item) ?? value
    }
}
