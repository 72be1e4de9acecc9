import FacteurTesting
import Foundation
import Testing
@testable import Bounces

/// `facteur bounces` with mbox and Maildir mailboxes in `bounces.mailboxes`, and the per-provider counts
/// the bounces leave in `facteur_provider_stats`.
@Suite struct LocalMailboxCommandTests {
    @Test func anMboxIsReadOnceAndBouncesAreCountedPerProvider() async throws {
        let installation = try await BounceInstallation.make()
        defer { Task { await installation.tearDown() } }
        let mbox = installation.directory.appendingPathComponent("bounces.mbox")
        try FileManager.default.copyItem(at: IntakeFixtures.sampleMbox, to: mbox)
        try installation.configure(policy: "phplist", mailboxes: ["url: mbox://\(mbox.path)"])

        let first = try await installation.run(["bounces"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.lines.last?.hasPrefix("mbox://\(mbox.path): 4 bounces: 4 recorded") == true, "\(first.standardOutput)")
        let problems = SampleExpectation.differencesUnderPolicyPHPList(try await installation.snapshot(), try await installation.expected())
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // The file is never modified; its messages are remembered instead.
        #expect(try Data(contentsOf: mbox) == Data(contentsOf: IntakeFixtures.sampleMbox))
        let second = try await installation.run(["bounces"])
        #expect(second.lines.last?.contains(": 0 bounces:") == true, "\(second.standardOutput)")

        // Identified failures only, per provider of the failed address (the unidentified 4th is not counted).
        #expect(try await installation.fixture.rows(
            """
            SELECT provider, CAST(SUM(sent) AS SIGNED), CAST(SUM(deferred) AS SIGNED), CAST(SUM(soft_bounces) AS SIGNED),
              CAST(SUM(hard_bounces) AS SIGNED) FROM facteur_provider_stats GROUP BY provider ORDER BY provider
            """)
            == [[.string("example.de"), .int(0), .int(0), .int(1), .int(0)],
                [.string("example.net"), .int(0), .int(0), .int(1), .int(1)]])
    }

    @Test func aMaildirIsEmptiedAsConfigured() async throws {
        let installation = try await BounceInstallation.make()
        defer { Task { await installation.tearDown() } }
        let maildir = installation.directory.appendingPathComponent("Maildir")
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(at: maildir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for (index, message) in try IntakeFixtures.sampleBounces().enumerated() {
            try Data(message).write(to: maildir.appendingPathComponent("new/\(index).host"))
        }
        try installation.configure(policy: "facteur", mailboxes: ["url: maildir://\(maildir.path)\nprocessed: delete\nunprocessed: keep"])
        let result = try await installation.run(["bounces", "process"])
        #expect(result.status == 0, "\(result.standardError)")
        let problems = SampleExpectation.differencesUnderPolicyFacteur(try await installation.snapshot(), try await installation.expected())
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // The unidentified bounce is kept, marked seen; the three others are gone.
        let left = try FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent("cur").path)
            + FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent("new").path)
        #expect(left.count == 1 && left[0].hasPrefix("3.host"), "\(left)")
    }

    @Test func aBadDispositionIsNamed() async throws {
        let installation = try await BounceInstallation.make()
        defer { Task { await installation.tearDown() } }
        try installation.configure(policy: "phplist", mailboxes: ["url: mbox:///tmp/none.mbox\nprocessed: shred"])
        let result = try await installation.run(["bounces"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("bounces.mailboxes[0].processed"), "\(result.standardError)")
    }

    @Test func noMailboxConfiguredIsExplained() async throws {
        let installation = try await BounceInstallation.make()
        defer { Task { await installation.tearDown() } }
        try installation.configure(policy: "phplist", mailboxes: [])
        let result = try await installation.run(["bounces"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("no bounce mailbox configured"), "\(result.standardError)")
    }
}
