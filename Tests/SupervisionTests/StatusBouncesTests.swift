import FacteurTesting
import Foundation
import MariaDB
import Testing
@testable import Supervision

/// Bounces by reason end to end: `facteur bounces process` records the classifier's reason
/// (migration 0008) and the status shows it per reason and per provider.
@Suite(.serialized) struct StatusBouncesTests {
    @Test func processedBouncesShowByReason() async throws {
        let db = try await StatusDatabase.start(.sampleSent)
        defer { Task { await db.stop() } }
        let installation = try StatusInstallation.write(databaseURL: db.database.url)
        let mbox = TestServices.compatFile("phplist-3.6.15/bounces-sample.mbox").path
        let processed = try await FacteurCommand.built().run(["--config", installation.config, "bounces", "process", "--mbox", mbox])
        #expect(processed.status == 0, "\(processed.standardError)")

        let stored = try await db.pool.query(
            "SELECT reason, hard FROM facteur_bounce_seen WHERE bounce_id IS NOT NULL ORDER BY reason").map {
                "\(try $0.decode("reason", as: String.self)):\(try $0.decode("hard", as: Int.self))"
            }
        #expect(!stored.isEmpty)
        #expect(!stored.contains { $0.hasPrefix(":") }, "every processed bounce keeps its reason: \(stored)")

        let snapshot = try await StatusReader(pool: db.pool).read()
        let failures = stored.filter { !["delivered", "feedback", "vacation", "none"].contains($0.split(separator: ":")[0]) }
        #expect(snapshot.bounces.total == failures.count)
        #expect(snapshot.bounces.hard == failures.filter { $0.hasSuffix(":1") }.count)
        #expect(Set(snapshot.bounces.byReason.map(\.reason)) == Set(failures.map { String($0.split(separator: ":")[0]) }))
        // Identified bounces are counted against their subscriber's provider (example.* domains here).
        #expect(snapshot.providers.reduce(0) { $0 + $1.bounces } > 0)
    }
}
