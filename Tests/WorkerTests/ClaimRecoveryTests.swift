import FacteurTesting
import Foundation
import MariaDB
import Testing
import Worker

/// `active` claims left by a worker that died (its lease expired) are given back and sent once; claims of
/// a live worker are never touched (migrations/0002_claim_batches.sql states the rule).
@Suite(.serialized) struct ClaimRecoveryTests {
    /// What a hard-killed worker leaves: `active` rows for ids 2…11 and its ledger row.
    static func leaveClaims(_ pool: MariaDBPool, worker: String, heartbeatAgo seconds: Int) async throws {
        try await pool.execute(
            "INSERT INTO facteur_workers (worker_id, host, pid, started, heartbeat, lease_seconds) VALUES (?, 'gone', 1, NOW(), NOW() - INTERVAL ? SECOND, 60)",
            [worker, seconds])
        try await pool.execute(
            "INSERT INTO phplist_usermessage (messageid, userid, entered, status) SELECT 2, id, NOW(), 'active' FROM phplist_user_user WHERE id BETWEEN 2 AND 11")
        try await pool.execute(
            "INSERT INTO facteur_claim_batches (worker_id, messageid, userids, claimed) VALUES (?, 2, '2,3,4,5,6,7,8,9,10,11', NOW())",
            [worker])
        try await pool.execute("UPDATE phplist_message SET status = 'inprocess' WHERE id = 2")
    }

    @Test func claimsOfADeadWorkerAreRecoveredAndSentOnce() async throws {
        let harness = try await WorkerHarness.start()
        try await Self.leaveClaims(harness.pool, worker: "facteur:1@gone", heartbeatAgo: 600)
        let report = try await harness.runner().processQueue()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.campaigns.first?.sent == 1996)
        let recipients = try await harness.sink.waitForMessages(1996 + 3, seconds: 10).filter { !$0.isSystemMail }
            .flatMap(\.rcptArgs)
        #expect(recipients.count == 1996)
        #expect(Set(recipients).count == 1996)
        #expect(recipients.contains { $0.contains("user0001@") })
        #expect(try await harness.count("SELECT COUNT(*) FROM facteur_claim_batches") == 0)
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_usermessage WHERE status = 'sent'") == 1996)
        await harness.stop()
    }

    @Test func claimsOfALiveWorkerAreLeftAlone() async throws {
        let harness = try await WorkerHarness.start()
        try await Self.leaveClaims(harness.pool, worker: "facteur:2@alive", heartbeatAgo: 0)
        var settings = try harness.settings()
        settings.maxRetryPasses = 0
        let report = try await harness.runner(settings).processQueue()
        // The live worker's 10 subscribers are its to finish: this run leaves them and the campaign to it.
        #expect(report.campaigns.first?.ending == .continuedByOtherWorkers(inFlight: 10), "\(report.campaigns)")
        #expect(report.failures.isEmpty)
        let recipients = try await harness.sink.waitForMessages(1986 + 2, seconds: 10).filter { !$0.isSystemMail }
            .flatMap(\.rcptArgs)
        #expect(recipients.count == 1986)
        #expect(!recipients.contains { $0.contains("user0001@") })
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_usermessage WHERE status = 'active'") == 10)
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_message WHERE id = 2 AND status = 'inprocess'") == 1)
        await harness.stop()
    }
}
