import FacteurTesting
import MariaDB
import Testing

@Suite struct TestDatabaseTests {
    @Test func loadsThePHPListSchemaWithAnotherPrefix() async throws {
        let database = try await TestDatabase.create(loading: .schema, prefix: "pl_")
        let pool = database.pool(maxConnections: 1)
        let tables = try await pool.query(
            "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? ORDER BY t", [database.name]
        ).map { try $0.decode("t", as: String.self) }
        await pool.shutdown()
        try await database.drop()
        #expect(tables.contains("pl_user_user"))
        #expect(tables.contains("pl_message"))
        #expect(!tables.contains { $0.hasPrefix("phplist_") })
        #expect(tables.count >= 40)
    }

    @Test func loadsACompressedSample() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        #expect(database.url.hasSuffix("/\(database.name)"))
        let pool = database.pool(maxConnections: 1)
        let users = try await pool.query("SELECT COUNT(*) AS n FROM phplist_user_user")[0].decode("n", as: Int.self)
        await pool.shutdown()
        try await database.drop()
        #expect(users > 0)
        let gone = MariaDBPool(configuration: try TestServices.requireMySQL(), maxConnections: 1)
        let left = try await gone.query("SELECT COUNT(*) AS n FROM information_schema.schemata WHERE schema_name = ?",
                                        [database.name])[0].decode("n", as: Int.self)
        await gone.shutdown()
        #expect(left == 0)
    }
}
