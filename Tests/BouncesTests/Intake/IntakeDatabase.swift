import FacteurTesting
import MariaDB

/// A fresh test database with Facteur's migrations applied (for leases and the kept ledger).
struct IntakeDatabase {
    let database: TestDatabase
    let pool: MariaDBPool

    static func create() async throws -> IntakeDatabase {
        let database = try await TestDatabase.create(loading: .empty)
        let pool = database.pool(maxConnections: 4)
        do {
            let runner = MigrationRunner(pool: pool, migrations: try Migration.load(
                from: TestServices.repositoryRoot.appendingPathComponent("migrations")))
            try await runner.migrate()
        } catch {
            await pool.shutdown()
            try? await database.drop()
            throw error
        }
        return IntakeDatabase(database: database, pool: pool)
    }

    func drop() async {
        await pool.shutdown()
        try? await database.drop()
    }
}
