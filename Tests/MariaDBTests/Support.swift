import FacteurTesting
import MariaDB

/// Runs `body` against a fresh database and a pool on it; cleans both up whatever happens.
func withTestDatabase<T>(
    loading fixture: TestDatabase.Fixture = .empty,
    maxConnections: Int = 4,
    _ body: (TestDatabase, MariaDBPool) async throws -> T
) async throws -> T {
    let database = try await TestDatabase.create(loading: fixture)
    let pool = database.pool(maxConnections: maxConnections)
    do {
        let result = try await body(database, pool)
        await pool.shutdown()
        try await database.drop()
        return result
    } catch {
        await pool.shutdown()
        try? await database.drop()
        throw error
    }
}
