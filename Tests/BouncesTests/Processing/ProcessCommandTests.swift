import FacteurTesting
import Foundation
import Testing
@testable import Bounces

/// `facteur bounces process` end to end: configuration, Maildir reading, PHPList's lock.
@Suite struct ProcessCommandTests {
    static func config(_ f: ProcessingFixture, _ extra: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-\(UUID().uuidString).yaml").path
        try "database:\n  url: \(f.database.url)\n\(extra)".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aMaildirWithAReasonOverride() async throws {
        let f = try await ProcessingFixture.make()
        defer { Task { await f.tearDown() } }
        let config = try Self.config(f, "bounces:\n  reason_overrides:\n    - reason: mailboxfull\n      action: ignore\n")
        let maildir = FileManager.default.temporaryDirectory.appendingPathComponent("maildir-\(UUID().uuidString)")
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(at: maildir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(at: maildir) }
        for (index, message) in try ProcessingFixture.sampleMessages().enumerated() {
            try Data(message).write(to: maildir.appendingPathComponent("new/\(index).host"))
        }
        let result = try await FacteurCommand.built().run(["--config", config, "bounces", "--maildir", maildir.path, "--concurrency", "1"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lines.last?.hasPrefix("4 bounces: 4 recorded (1 unidentified)") == true, "\(result.standardOutput)")
        // Mailbox full (user0001, id 2) is stored but not counted; user unknown (1202) is unconfirmed at once.
        #expect(try await f.rows("SELECT status FROM phplist_bounce WHERE id = 2") == [[.string("not counted: mailboxfull")]])
        #expect(try await f.rows("SELECT id, confirmed, blacklisted, bouncecount FROM phplist_user_user WHERE id IN (2, 1202) ORDER BY id")
            == [[.int(2), .int(1), .int(0), .int(0)], [.int(1202), .int(0), .int(1), .int(1)]])
        #expect(try await f.int("SELECT bouncecount FROM phplist_message WHERE id = 2") == 1)
    }

    @Test func refusedWhilePHPListsProcessbouncesRuns() async throws {
        let f = try await ProcessingFixture.make()
        defer { Task { await f.tearDown() } }
        try await f.pool.execute("INSERT INTO phplist_sendprocess (started, page, alive, ipaddress) VALUES (NOW(), 'processbounces', 1, 'web1:4242')")
        let config = try Self.config(f, "")
        let mbox = TestServices.compatFile("phplist-3.6.15/bounces-sample.mbox").path
        let result = try await FacteurCommand.built().run(["--config", config, "bounces", "process", "--mbox", mbox])
        #expect(result.status != 0)
        #expect(result.standardError.contains("already running") && result.standardError.contains("web1:4242"), "\(result.standardError)")
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce") == 0)
    }

    @Test func anUnknownReasonInTheConfigurationIsNamed() async throws {
        let f = try await ProcessingFixture.make(withRule: false)
        defer { Task { await f.tearDown() } }
        let config = try Self.config(f, "bounces:\n  reason_overrides:\n    - reason: mailbox-full\n      action: ignore\n")
        let mbox = TestServices.compatFile("phplist-3.6.15/bounces-sample.mbox").path
        let result = try await FacteurCommand.built().run(["--config", config, "bounces", "process", "--mbox", mbox])
        #expect(result.status != 0)
        #expect(result.standardError.contains("bounces.reason_overrides[0].reason: 'mailbox-full' is not a reason"), "\(result.standardError)")
    }
}
