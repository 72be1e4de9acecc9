import FacteurTesting
import Foundation
import MariaDB
import PHPList
import Testing
import Worker

/// The admin suspends a campaign from PHPList's UI (an UPDATE of message.status) while it is being sent:
/// Facteur stops handing its messages to the relay once it sees the suspension, leaves no claim behind,
/// and a requeue later sends the rest, each subscriber once.
@Suite struct SuspendTests {
    @Test func suspendedMidCampaignStopsAndARequeueFinishesIt() async throws {
        let harness = try await WorkerHarness.start()
        let pool = harness.pool
        var settings = try harness.settings(connections: 2)
        settings.statusInterval = .milliseconds(100)
        settings.batchSize = 50
        let runner = try harness.runner(settings)
        let sending = Task { try await runner.processQueue() }

        // Suspend as the UI does once some mail went out.
        // (Generous: a loaded machine may take long to start; the test is about what follows.)
        let deadline = Date().addingTimeInterval(300)
        while try harness.sink.messages().count < 200, Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(try harness.sink.messages().count >= 200, "the campaign never got going")
        try await pool.execute("UPDATE phplist_message SET status = 'suspended' WHERE id = 2")
        let report = try await sending.value
        #expect(report.campaigns.first?.ending == .stopped(status: "suspended"), "\(report.campaigns)")
        let atStop = try harness.sink.messages().filter { !$0.isSystemMail }.count
        #expect(atStop < 1996, "the suspension was not seen before the end")
        // Nothing more after the run returned, nothing left claimed, status as the admin set it.
        try await Task.sleep(for: .milliseconds(500))
        #expect(try harness.sink.messages().filter { !$0.isSystemMail }.count == atStop)
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_usermessage WHERE status = 'active'") == 0)
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_usermessage WHERE status = 'sent'") == atStop)
        #expect(try await pool.query("SELECT status FROM phplist_message WHERE id = 2")[0].decode(0, as: String.self)
                == "suspended")

        // Suspended campaigns are not selected; requeued, the rest goes out once.
        let idle = try await harness.runner(settings).processQueue()
        #expect(idle.campaigns.isEmpty)
        try await pool.execute("UPDATE phplist_message SET status = 'submitted' WHERE id = 2")
        let resumed = try await harness.runner(settings).processQueue()
        #expect(resumed.campaigns.first?.ending == .finished)
        #expect(resumed.campaigns.first?.sent == 1996 - atStop)
        let delivered = try await harness.sink.waitForMessages(1996, seconds: 10).filter { !$0.isSystemMail }
            .flatMap(\.rcptArgs)
        #expect(delivered.count == 1996)
        #expect(Set(delivered).count == 1996)
        await harness.stop()
    }
}
