import FacteurTesting
import Foundation
import MariaDB
import PHPList
import Relaying
import SMTP
import Testing
import Worker

/// A relay that refuses some recipients: 4xx puts the subscriber in the retry schedule (usermessage 'todo',
/// a facteur_retries row; tried again in this run and the next), 5xx is final and recorded as a bounce the
/// way processbounces records one.
@Suite(.serialized) struct RelayFailureTests {
    @Test func transientFailuresAreReturnedAndPermanentOnesBecomeBounces() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        let pool = database.pool(maxConnections: 6)
        try await WorkerHarness.migrate(pool)
        let sink = try await AiosmtpdSink.start()
        // aiosmtpd's script answers 451 to tempfail* and 550 to reject* at RCPT.
        try await pool.execute("UPDATE phplist_user_user SET email = CONCAT('tempfail', id, '@example.com') WHERE id IN (10, 20)")
        try await pool.execute("UPDATE phplist_user_user SET email = CONCAT('reject', id, '@example.com') WHERE id IN (30, 40, 1500)")
        let phplist = PHPListDatabase(pool: pool)
        var settings = WorkerSettings(
            relay: try SMTPRelayConfiguration(url: sink.url(), name: "lab-relay"), connections: 4,
            envelopeSender: "bounces@example.org",
            attachmentRepository: TestServices.compatFile("phplist-3.6.15/attachments").path,
            useManualTextPart: true, retryDelay: .milliseconds(100), maxRetryPasses: 2)
        settings.relaying.retry = RetrySchedule(maxAge: 3_600, initialDelay: 0.2, maxDelay: 0.4, jitter: 0)

        let first = try await QueueRunner(database: phplist, settings: settings).processQueue()
        guard case .unfinished(let remaining, let lastFailure)? = first.campaigns.first?.ending else {
            Issue.record("campaign should be unfinished: \(first.campaigns)")
            return
        }
        #expect(remaining == 2)
        #expect(lastFailure.contains("451"))
        #expect(first.failures.count == 1)
        func count(_ sql: String) async throws -> Int { try await pool.query(sql).first?.decode(0, as: Int.self) ?? -1 }
        // Transient: 'todo' with a retry row (tried again whenever due: at least once per retry round), campaign in process.
        #expect(try await count("SELECT COUNT(*) FROM phplist_usermessage WHERE userid IN (10, 20) AND status = 'todo'") == 2)
        let pending = try await RetryStore(pool: pool).all(campaign: 2)
        #expect(pending.map(\.subscriber) == [10, 20])
        #expect(pending.allSatisfy { $0.attempts >= 3 && $0.lastReply.contains("451") && $0.domain == "example.com" }, "\(pending)")
        #expect(try await count("SELECT COUNT(*) FROM phplist_usermessage WHERE status = 'active'") == 0)
        #expect(try await pool.query("SELECT status FROM phplist_message WHERE id = 2")[0].decode(0, as: String.self) == "inprocess")
        // Permanent: 'sent', a bounce per refusal with the relay's reply, counters +1.
        #expect(try await count("SELECT COUNT(*) FROM phplist_usermessage WHERE userid IN (30, 40, 1500) AND status = 'sent'") == 3)
        let bounces = try await pool.query("SELECT status, comment, header, data FROM phplist_bounce ORDER BY id")
        #expect(bounces.count == 3)
        for row in bounces {
            #expect(try row.decode("status", as: String.self) == "bounced list message 2")
            #expect(try row.decode("comment", as: String.self).hasSuffix(" bouncecount increased"))
            #expect(try row.decode("header", as: String.self).contains("lab-relay"))
            #expect(String(decoding: try row.decode("data", as: [UInt8].self), as: UTF8.self).hasPrefix("550"))
        }
        #expect(try await count("SELECT COUNT(*) FROM phplist_user_message_bounce WHERE message = 2 AND user IN (30, 40, 1500)") == 3)
        #expect(try await count("SELECT bouncecount FROM phplist_message WHERE id = 2") == 3)
        #expect(try await count("SELECT SUM(bouncecount) FROM phplist_user_user WHERE id IN (30, 40, 1500)") == 3)
        #expect(try await count("SELECT processed FROM phplist_message WHERE id = 2") == 1998)
        #expect(try await count("SELECT astextandhtml FROM phplist_message WHERE id = 2") == 1991)

        // The next run reaches the two once the relay accepts them, and finishes the campaign.
        try await pool.execute("UPDATE phplist_user_user SET email = CONCAT('back', id, '@example.com') WHERE id IN (10, 20)")
        let second = try await QueueRunner(database: phplist, settings: settings).processQueue()
        #expect(second.failures.isEmpty)
        #expect(second.campaigns.first?.sent == 2)
        #expect(try await RetryStore(pool: pool).pendingCount(campaign: 2) == 0)
        #expect(try await pool.query("SELECT status FROM phplist_message WHERE id = 2")[0].decode(0, as: String.self) == "sent")
        #expect(try await count("SELECT processed FROM phplist_message WHERE id = 2") == 2000)
        let delivered = try sink.messages().filter { !$0.isSystemMail }.flatMap(\.recipients)
        #expect(delivered.filter { $0.hasPrefix("back") }.count == 2)
        #expect(Set(delivered).count == delivered.count, "a subscriber received the campaign twice")
        sink.stop()
        await pool.shutdown()
        try? await database.drop()
    }
}
