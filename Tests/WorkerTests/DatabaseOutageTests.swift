import FacteurTesting
import Foundation
import MariaDB
import PHPList
import SMTP
import Testing
import Worker

/// The database goes away in the middle of a campaign (every connection dropped, nothing accepted, as
/// during a MariaDB restart) and comes back: sending pauses, resumes, and the campaign ends as without the
/// outage — every valid subscriber once, all marked sent, no claim left.
@Suite struct DatabaseOutageTests {
    @Test func campaignSurvivesTheDatabaseGoingAwayAndComingBack() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        let direct = database.pool(maxConnections: 2)
        try await WorkerHarness.migrate(direct)
        let proxy = try await CuttableProxy.start(to: try TestServices.requireMySQL().port)
        let viaProxy = MariaDBPool(configuration: try MariaDBConfiguration(url: "mysql://root@127.0.0.1:\(proxy.port)/\(database.name)"),
                                   maxConnections: 6)
        let sink = try await SinkProcess.start()
        var settings = WorkerSettings(relay: try SMTPRelayConfiguration(url: sink.url), connections: 2,
                                      envelopeSender: "bounces@example.org",
                                      attachmentRepository: TestServices.compatFile("phplist-3.6.15/attachments").path,
                                      useManualTextPart: true, retryDelay: .milliseconds(200))
        settings.batchSize = 100
        let runner = QueueRunner(database: PHPListDatabase(pool: viaProxy), settings: settings)
        let sending = Task { try await runner.processQueue() }

        let deadline = Date().addingTimeInterval(300)
        while try sink.messages().count < 300, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        try #require(try sink.messages().count >= 300, "the campaign never got going")
        proxy.cut()
        let atCut = try sink.messages().count
        try await Task.sleep(for: .seconds(4))
        // Mail already handed over may finish, but no new page can be claimed while the database is gone.
        let duringOutage = try sink.messages().count
        proxy.restore()
        let report = try await sending.value

        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.campaigns.first?.ending == CampaignResult.Ending.finished)
        #expect(duringOutage - atCut <= 2 * settings.batchSize, "kept sending without a database")
        let delivered = try await sink.waitForMessages(1996 + 3, seconds: 10).filter { !$0.isSystemMail }.flatMap(\.rcptArgs)
        #expect(delivered.count == 1996)
        #expect(Set(delivered).count == 1996)
        func count(_ sql: String) async throws -> Int { try await direct.query(sql)[0].decode(0, as: Int.self) }
        #expect(try await count("SELECT COUNT(*) FROM phplist_usermessage WHERE messageid = 2 AND status = 'sent'") == 1996)
        #expect(try await count("SELECT COUNT(*) FROM phplist_usermessage WHERE status = 'active'") == 0)
        #expect(try await count("SELECT processed FROM phplist_message WHERE id = 2") == 2000)
        #expect(try await direct.query("SELECT status FROM phplist_message WHERE id = 2")[0].decode(0, as: String.self) == "sent")

        WorkerHarness.stop(sink)
        proxy.stop()
        await viaProxy.shutdown()
        await direct.shutdown()
        try? await database.drop()
    }
}
