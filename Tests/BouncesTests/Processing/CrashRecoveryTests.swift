import FacteurTesting
import Foundation
import Testing
@testable import Bounces

/// `facteur bounces process --mbox` killed inside its transaction (before COMMIT; the four messages are
/// written as one batch), then run again, then once more: nothing is lost, nothing is counted twice.
@Suite struct CrashRecoveryTests {
    @Test func crashBeforeCommitThenRerunLosesNothingAndCountsNothingTwice() async throws {
        let f = try await ProcessingFixture.make()
        defer { Task { await f.tearDown() } }
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-\(UUID().uuidString).yaml").path
        try "database:\n  url: \(f.database.url)\nbounces:\n  policy: phplist\n".write(toFile: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let mbox = TestServices.compatFile("phplist-3.6.15/bounces-sample.mbox").path
        let facteur = try FacteurCommand.built()
        let arguments = ["--config", config, "bounces", "process", "--mbox", mbox, "--concurrency", "1"]

        let crashed = try await facteur.run(arguments, environment: ["FACTEUR_TEST_CRASH_AT": "bounce-before-commit:3"])
        #expect(crashed.status == 86, "\(crashed.standardError)")
        // The whole batch was one transaction: nothing of it is left.
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce") == 0)
        #expect(try await f.int("SELECT COUNT(*) FROM facteur_bounce_seen") == 0)
        // The dead process's lock row is still there, as PHPList's would be.
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_sendprocess WHERE page = 'processbounces'") == 1)

        let rerun = try await facteur.run(arguments)
        #expect(rerun.status == 0, "\(rerun.standardError)")
        #expect(rerun.lines.last?.hasPrefix("4 bounces: 4 recorded (1 unidentified), 0 already processed") == true, "\(rerun.standardOutput)")
        let third = try await facteur.run(arguments)
        #expect(third.status == 0, "\(third.standardError)")
        #expect(third.lines.last?.hasPrefix("4 bounces: 0 recorded (0 unidentified), 4 already processed") == true, "\(third.standardOutput)")
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce") == 4)
        #expect(try await f.int("SELECT bouncecount FROM phplist_message WHERE id = 2") == 2)
        #expect(try await f.rows("SELECT id, bouncecount, blacklisted FROM phplist_user_user WHERE bouncecount > 0 ORDER BY id")
            == [[.int(2), .int(1), .int(0)], [.int(4), .int(1), .int(0)], [.int(1202), .int(1), .int(1)]])
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_sendprocess") == 0)
    }
}
