import FacteurTesting
import Foundation
import Testing

/// `facteur send` killed at named steps (the FACTEUR_TEST_CRASH_AT hook exits like `kill -9`) and at a
/// random moment, then run again once the dead worker's lease has expired: every valid subscriber has
/// the campaign, and a subscriber receives it twice only if its message was in DATA at the crash, so
/// duplicates stay within the connection count.
@Suite struct CrashRecoveryTests {
    static let connections = 4

    /// The lease is 90 s; instead of waiting, the dead worker's heartbeat is moved back an hour.
    private func expireDeadWorkers(_ installation: SampleInstallation) async throws {
        try await installation.pool.execute("UPDATE facteur_workers SET heartbeat = heartbeat - INTERVAL 1 HOUR")
    }

    private func finishAndCheck(_ installation: SampleInstallation, crashed: String) async throws {
        try await expireDeadWorkers(installation)
        let rerun = try await installation.facteur.run(["--config", installation.config, "send"])
        #expect(rerun.status == 0, "re-run after \(crashed): \(rerun.standardError)")
        #expect(try await installation.status() == "sent")
        #expect(try await installation.count("SELECT COUNT(*) FROM phplist_usermessage WHERE messageid = 2 AND status = 'sent'")
                == SampleInstallation.validRecipients)
        #expect(try await installation.count("SELECT COUNT(*) FROM phplist_usermessage WHERE status = 'active'") == 0)
        #expect(try await installation.count("SELECT COUNT(*) FROM facteur_claim_batches") == 0)
        _ = try await installation.sink.waitForMessages(SampleInstallation.validRecipients, seconds: 10)
        let delivered = try installation.deliveredRecipients()
        let distinct = Set(delivered)
        #expect(distinct.count == SampleInstallation.validRecipients, "after \(crashed)")
        let duplicates = delivered.count - distinct.count
        #expect(duplicates <= Self.connections, "after \(crashed): \(duplicates) duplicates")
        print("crash at \(crashed): \(duplicates) duplicate(s), bound \(Self.connections)")
    }

    @Test(arguments: ["after-claim", "after-data", "mid-batch"])
    func crashAtANamedStepThenRecover(point: String) async throws {
        let installation = try await SampleInstallation.start(connections: Self.connections)
        let crashed = try await installation.facteur.run(
            ["--config", installation.config, "send"],
            environment: ["FACTEUR_TEST_CRASH_AT": point, "FACTEUR_TEST_CRASH_AFTER": "3"])
        #expect(crashed.status == 86, "\(point): \(crashed.standardError)")
        #expect(crashed.standardError.contains("test crash at \(point)"))
        #expect(try await installation.status() == "inprocess")
        try await finishAndCheck(installation, crashed: point)
        await installation.stop()
    }

    @Test func killedAtARandomMomentThenRecover() async throws {
        let installation = try await SampleInstallation.start(connections: Self.connections)
        let sending = try installation.facteur.launch(["--config", installation.config, "send"])
        // Somewhere inside the run: once the sink holds between 1 and 1,500 messages, at a random count.
        let target = Int.random(in: 1...1500)
        let deadline = Date().addingTimeInterval(120)
        while (try? installation.sink.messages().count) ?? 0 < target, sending.process.isRunning, Date() < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        sending.signal(SIGKILL)
        _ = try? await sending.waitForExit(timeout: 10)
        try await finishAndCheck(installation, crashed: "random kill after \(target) messages")
        await installation.stop()
    }
}
