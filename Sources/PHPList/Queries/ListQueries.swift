import MariaDB

extension PHPListDatabase {
    public func lists() async throws -> [MailingList] {
        let rows = try await pool.query(
            "SELECT id, name, description, active, category FROM \(tables.list) ORDER BY id"
        )
        return try rows.map { row in
            MailingList(
                id: try row.decode("id"),
                name: try row.decode("name"),
                description: try row.decode("description", as: String?.self) ?? "",
                active: (try row.decode("active", as: Int?.self) ?? 0) != 0,
                category: try row.decode("category", as: String?.self) ?? ""
            )
        }
    }

    /// Every row of the user table, as PHPList's subscriber count on its home page shows it.
    public func subscriberCount() async throws -> Int {
        let rows = try await pool.query("SELECT COUNT(*) AS n FROM \(tables.user)")
        return try rows.first?.decode("n", as: Int.self) ?? 0
    }
}
