import FacteurTesting
import Foundation
import Testing

/// `facteur send --no-wait` makes one pass for cron-style use: a subscriber the relay keeps deferring
/// (451) is left for a later run, the campaign stays in process, and the exit code is 3 ("retries
/// pending"), not 1 ("failed").
@Suite struct SendNoWaitTests {
    @Test func deferredSubscribersLeaveExitCodeThree() async throws {
        let relay = try await AiosmtpdSink.start()
        let installation = try await SampleInstallation.start(relay: relay.url())
        // The sink answers 451 4.7.1 at RCPT to local parts starting with "tempfail".
        try await installation.pool.execute("UPDATE phplist_user_user SET email = 'tempfail-7@example.com' WHERE id = 7")
        let result = try await installation.facteur.run(["--config", installation.config, "send", "--no-wait"])
        #expect(result.status == 3, "\(result.standardError)")
        #expect(result.standardError.contains("campaign 2 is not finished"))
        #expect(try await installation.status() == "inprocess")
        // Waiting for its retry: PHPList's own 'todo' status and a row in Facteur's retry schedule.
        #expect(try await installation.count("SELECT COUNT(*) FROM phplist_usermessage WHERE userid = 7 AND status = 'todo'") == 1)
        #expect(try await installation.count("SELECT COUNT(*) FROM facteur_retries WHERE userid = 7 AND messageid = 2") == 1)
        #expect(try await installation.count("SELECT COUNT(*) FROM phplist_usermessage WHERE status = 'sent'") == 1995)

        // A broken configuration is a failure (1), not pending work.
        let broken = try await installation.facteur.run(["--config", installation.config, "send", "--no-wait", "--campaign", "99"])
        #expect(broken.status == 1)
        relay.stop()
        await installation.stop()
    }
}
