import FacteurTesting
import Foundation
import MariaDB
import Testing

/// `facteur run`: the service polls PHPList's queue, sends what becomes due, and stops gracefully on
/// SIGTERM leaving no lock or lease behind.
@Suite struct RunCommandTests {
    @Test func sendsWhatBecomesDueAndStopsGracefullyOnSIGTERM() async throws {
        let installation = try await SampleInstallation.start()
        let pool = installation.pool, sink = installation.sink, config = installation.config
        let facteur = installation.facteur
        // Queued only once the service already runs, as an admin would press "send".
        try await pool.execute("UPDATE phplist_message SET status = 'draft' WHERE id = 2")

        let service = try facteur.launch(["--config", config, "run", "--poll-interval", "0.3"])
        // A failed expectation must not leave the service running.
        defer { if service.process.isRunning { service.signal(SIGKILL) } }
        func count(_ sql: String) async throws -> Int { try await pool.query(sql)[0].decode(0, as: Int.self) }
        // Running, and sending nothing while the campaign is a draft.
        try await waitUntil("the service has looked at the queue", seconds: 180, log: { service.outputSoFar }) {
            service.outputSoFar.contains("facteur running")
        }
        try await Task.sleep(for: .seconds(1))
        #expect(try sink.messages().isEmpty)
        #expect(try await count("SELECT COUNT(*) FROM phplist_usermessage") == 0)

        try await pool.execute("UPDATE phplist_message SET status = 'submitted' WHERE id = 2")
        try await waitUntil("campaign 2 is sent", seconds: 300, log: { service.outputSoFar }) {
            try await pool.query("SELECT status FROM phplist_message WHERE id = 2")[0].decode(0, as: String.self) == "sent"
        }
        #expect(try await count("SELECT COUNT(*) FROM phplist_usermessage WHERE status = 'sent'") == 1996)

        service.signal(SIGTERM)
        let result = try await service.waitForExit(timeout: 30)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("sending service stopped") || result.standardOutput.contains("sending service stopped"))
        #expect(try await count("SELECT COUNT(*) FROM phplist_sendprocess") == 0)
        #expect(try await count("SELECT COUNT(*) FROM facteur_workers") == 0)
        let campaign = try await sink.waitForMessages(1996 + 3, seconds: 10).filter { !$0.isSystemMail }
        #expect(campaign.count == 1996)
        #expect(Set(campaign.flatMap(\.rcptArgs)).count == 1996)
        await installation.stop()
    }

    private func waitUntil(_ what: String, seconds: Double, log: () -> String = { "" },
                           _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("timed out after \(seconds) s waiting until \(what); output:\n\(log().suffix(3000))")
        throw CancellationError()
    }
}
