import FacteurTesting
import Foundation
import MariaDB

/// A fresh copy of a PHPList sample with Facteur's tables, as `facteur migrate` leaves it.
struct StatusDatabase {
    let database: TestDatabase
    let pool: MariaDBPool

    static func start(_ fixture: TestDatabase.Fixture = .sampleQueued) async throws -> StatusDatabase {
        let database = try await TestDatabase.create(loading: fixture)
        let pool = database.pool(maxConnections: 4)
        let migrations = try Migration.load(from: TestServices.repositoryRoot.appendingPathComponent("migrations"))
        _ = try await MigrationRunner(pool: pool, migrations: migrations).migrate()
        return StatusDatabase(database: database, pool: pool)
    }

    func execute(_ sql: String, _ params: [any MariaDBEncodable] = []) async throws {
        _ = try await pool.execute(sql, params)
    }

    func stop() async {
        await pool.shutdown()
        try? await database.drop()
    }
}

/// A facteur.yaml for the `facteur` binary: this database, PHPList's config.php beside it, one relay.
struct StatusInstallation {
    let directory: URL
    let config: String

    static func write(databaseURL: String, relayURL: String = "smtp://127.0.0.1:1", connections: Int = 4) throws -> StatusInstallation {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-status-\(UUID().uuidString)")
        let config = try InstallationFiles.write(into: directory, databaseURL: databaseURL, relayURL: relayURL,
                                                 connections: connections)
        return StatusInstallation(directory: directory, config: config)
    }
}
