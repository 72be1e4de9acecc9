import FacteurTesting
import Foundation
import MariaDB
import Testing
@testable import Supervision

/// `facteur status` as an operator runs it: the built binary against a database, no worker running.
@Suite(.serialized) struct StatusCommandTests {
    @Test func printsTablesAndJSONFromTheDatabaseAlone() async throws {
        let db = try await StatusDatabase.start()
        defer { Task { await db.stop() } }
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        try await KnownState.write(into: db, now: now)
        let installation = try StatusInstallation.write(databaseURL: db.database.url)
        let facteur = try FacteurCommand.built()

        let text = try await facteur.run(["--config", installation.config, "status"])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("Campaigns"))
        #expect(text.lines.contains { $0.contains("Spring offer") && $0.contains("inprocess") && $0.contains("1,400") })
        #expect(text.lines.contains { $0.hasPrefix("  a ") && $0.contains("closed") })
        #expect(text.standardOutput.contains("not counted, circuit open: c"))
        #expect(text.lines.contains { $0.hasPrefix("  userunknown") })
        #expect(text.standardOutput.contains("Retries: 3 waiting, 2 due"))

        let json = try await facteur.run(["--config", installation.config, "status", "--json"])
        #expect(json.status == 0, "\(json.standardError)")
        let snapshot = try StatusJSON.decode(Data(json.standardOutput.utf8))
        #expect(snapshot.campaigns.map(\.id) == [2])
        #expect(snapshot.campaigns.first?.toProcess == 1400)
        #expect(snapshot.relays.map(\.name) == ["a", "b", "c"])
        #expect(snapshot.capacity.queueRemaining == 1403)
        #expect(snapshot.bounces.total == 3)
    }

    @Test func withoutMigrationsItSaysToRunMigrate() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        defer { Task { try? await database.drop() } }
        let installation = try StatusInstallation.write(databaseURL: database.url)
        let result = try await FacteurCommand.built().run(["--config", installation.config, "status"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("facteur migrate"))
    }
}
