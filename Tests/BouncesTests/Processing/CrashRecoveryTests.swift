import FacteurTesting
import Foundation
import Testing
@testable import Bounces

/// `facteur bounces process --mbox` killed inside the third bounce's transaction (before COMMIT), then run
/// again: the first two bounces are not counted again, the third and fourth are counted once.
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
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce") == 2)
        #expect(try await f.int("SELECT COUNT(*) FROM facteur_bounce_seen") == 2)
        // The dead process's lock row is still there, as PHPList's would be.
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_sendprocess WHERE page = 'processbounces'") == 1)

        let rerun = try await facteur.run(arguments)
        #expect(rerun.status == 0, "\(rerun.standardError)")
        #expect(rerun.lines.last?.hasPrefix("4 bounces: 2 recorded (1 unidentified), 2 already processed") == true, "\(rerun.standardOutput)")
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce") == 4)
        #expect(try await f.int("SELECT bouncecount FROM phplist_message WHERE id = 2") == 2)
        #expect(try await f.rows("SELECT id, bouncecount, blacklisted FROM phplist_user_user WHERE bouncecount > 0 ORDER BY id")
            == [[.int(2), .int(1), .int(0)], [.int(4), .int(1), .int(0)], [.int(1202), .int(1), .int(1)]])
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_sendprocess") == 0)
    }
}
