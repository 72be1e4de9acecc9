import FacteurTesting
import Foundation
import Testing
@testable import Bounces

/// `facteur bounces` (the real binary) reading PHPList's four sample bounces from a real Dovecot over
/// every protocol it speaks; the database must end as PHPList's processbounces left it.
@Suite(.enabled(if: TestDovecot.runTests, "Dovecot is not installed (scripts/services.sh up)"))
struct MailboxCommandTests {
    enum Access: String, CaseIterable, CustomTestStringConvertible {
        case imap, imapSTARTTLS, imaps, pop3, pop3STLS, pop3s
        var testDescription: String { rawValue }

        /// The `bounces.mailboxes[]` entry (YAML lines) for this access to `dovecot`.
        func entry(_ dovecot: TestDovecot, _ certificates: SinkCertificates) -> String {
            switch self {
            case .imap: "url: \(dovecot.imapURL())\nstarttls: off"
            case .imapSTARTTLS: "url: \(dovecot.imapURL())\nstarttls: required\ntls_ca_file: \(certificates.caFile)"
            case .imaps: "url: \(dovecot.imapURL(tls: true))\ntls_ca_file: \(certificates.caFile)"
            case .pop3: "url: \(dovecot.pop3URL())\nstarttls: off"
            case .pop3STLS: "url: \(dovecot.pop3URL())\nstarttls: required\ntls_ca_file: \(certificates.caFile)"
            case .pop3s: "url: \(dovecot.pop3URL(tls: true))\ntls_ca_file: \(certificates.caFile)"
            }
        }
    }

    static func withDovecot(_ body: (TestDovecot, SinkCertificates) async throws -> Void) async throws {
        let certificates = try SinkCertificates.create()
        defer { certificates.remove() }
        let dovecot = try await TestDovecot.start(certificates: certificates)
        defer { dovecot.stop() }
        try await body(dovecot, certificates)
    }

    @Test(arguments: Access.allCases)
    func policyPHPListEndsAsPHPListDid(access: Access) async throws {
        try await Self.withDovecot { dovecot, certificates in
            let installation = try await BounceInstallation.make()
            defer { Task { await installation.tearDown() } }
            try dovecot.deliver(try IntakeFixtures.sampleBounces())
            try installation.configure(policy: "phplist", mailboxes: [access.entry(dovecot, certificates)])

            let result = try await installation.run(["bounces"])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.lines.last?.contains("4 bounces: 4 recorded (1 unidentified), 0 already processed, 0 skipped, "
                + "4 finished in the mailbox; rules matched 1") == true, "\(result.standardOutput)")
            let problems = SampleExpectation.differencesUnderPolicyPHPList(try await installation.snapshot(), try await installation.expected())
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            // Deleted ($bounce_mailbox_purge) once committed; lease and PHPList's lock given back.
            #expect(dovecot.files().isEmpty)
            #expect(try await installation.fixture.int("SELECT COUNT(*) FROM phplist_sendprocess") == 0)
            #expect(try await installation.fixture.int(
                "SELECT COUNT(*) FROM facteur_bounce_mailbox_leases WHERE worker_id <> '' AND expires > NOW(6)") == 0)
        }
    }

    @Test(arguments: [Access.imaps, Access.pop3])
    func policyFacteurAlsoUnconfirmsTheHardBounce(access: Access) async throws {
        try await Self.withDovecot { dovecot, certificates in
            let installation = try await BounceInstallation.make()
            defer { Task { await installation.tearDown() } }
            try dovecot.deliver(try IntakeFixtures.sampleBounces())
            try installation.configure(policy: "facteur", mailboxes: [access.entry(dovecot, certificates)])
            let result = try await installation.run(["bounces", "process"])
            #expect(result.status == 0, "\(result.standardError)")
            let problems = SampleExpectation.differencesUnderPolicyFacteur(try await installation.snapshot(), try await installation.expected())
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            #expect(try await installation.fixture.rows(
                "SELECT id, confirmed, blacklisted FROM phplist_user_user WHERE id IN (2, 4) ORDER BY id")
                == [[.int(2), .int(1), .int(0)], [.int(4), .int(1), .int(0)]])
        }
    }

    /// Killed inside the third bounce's transaction: the two committed ones are still in the mailbox (not
    /// finished before the page is committed), nothing of the third is written; the re-run counts each once.
    @Test func crashBeforeCommitLosesNothingAndCountsNothingTwice() async throws {
        try await Self.withDovecot { dovecot, certificates in
            let installation = try await BounceInstallation.make()
            defer { Task { await installation.tearDown() } }
            try dovecot.deliver(try IntakeFixtures.sampleBounces())
            try installation.configure(policy: "phplist", mailboxes: [Access.imap.entry(dovecot, certificates)])

            let crashed = try await installation.run(["bounces", "--concurrency", "1"], environment: ["FACTEUR_TEST_CRASH_AT": "bounce-before-commit:3"])
            #expect(crashed.status == 86, "\(crashed.standardError)")
            #expect(try await installation.fixture.int("SELECT COUNT(*) FROM phplist_bounce") == 2)
            #expect(dovecot.files().count == 4)

            let rerun = try await installation.run(["bounces"])
            #expect(rerun.status == 0, "\(rerun.standardError)")
            #expect(rerun.lines.last?.contains("4 bounces: 2 recorded (1 unidentified), 2 already processed") == true, "\(rerun.standardOutput)")
            #expect(dovecot.files().isEmpty)
            // The rolled-back transaction used up an auto-increment id (compat/: ids are not compared), so
            // bounce ids and the links to them are compared without their ids.
            var actual = try await installation.snapshot()
            var expected = try await installation.expected()
            actual.bounces = actual.bounces.map { Array($0.dropFirst()) }
            expected.bounces = expected.bounces.map { Array($0.dropFirst()) }
            actual.userMessageBounces = actual.userMessageBounces.map { Array($0[1...2]) }
            expected.userMessageBounces = expected.userMessageBounces.map { Array($0[1...2]) }
            actual.ruleBounces = actual.ruleBounces.map { Array($0.prefix(1)) }
            expected.ruleBounces = expected.ruleBounces.map { Array($0.prefix(1)) }
            let problems = SampleExpectation.differencesUnderPolicyPHPList(actual, expected)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
    }

    /// Killed after all four commits but before the mailbox was told: every message is still there,
    /// and the re-run only deletes them, counting nothing again.
    @Test func crashAfterCommitBeforeDeleteCountsNothingTwice() async throws {
        try await Self.withDovecot { dovecot, certificates in
            let installation = try await BounceInstallation.make()
            defer { Task { await installation.tearDown() } }
            try dovecot.deliver(try IntakeFixtures.sampleBounces())
            try installation.configure(policy: "phplist", mailboxes: [Access.pop3.entry(dovecot, certificates)])

            let crashed = try await installation.run(["bounces", "--concurrency", "1"], environment: ["FACTEUR_TEST_CRASH_AT": "mailbox-before-finish:4"])
            #expect(crashed.status == 86, "\(crashed.standardError)")
            #expect(try await installation.fixture.int("SELECT COUNT(*) FROM phplist_bounce") == 4)
            #expect(dovecot.files().count == 4)

            let rerun = try await installation.run(["bounces"])
            #expect(rerun.status == 0, "\(rerun.standardError)")
            #expect(rerun.lines.last?.contains("4 bounces: 0 recorded (0 unidentified), 4 already processed") == true, "\(rerun.standardOutput)")
            #expect(dovecot.files().isEmpty)
            let problems = SampleExpectation.differencesUnderPolicyPHPList(try await installation.snapshot(), try await installation.expected())
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
    }

    /// `facteur run` reads the mailbox every `bounces.poll_interval`: bounces delivered while it runs are
    /// processed and removed, and SIGTERM leaves no lease and no processbounces lock behind.
    @Test func facteurRunPollsTheMailbox() async throws {
        try await Self.withDovecot { dovecot, certificates in
            let installation = try await BounceInstallation.make()
            defer { Task { await installation.tearDown() } }
            try installation.configure("relays:\n  - name: sink\n    url: \(ListenerRunTests.relayURL)\nbounces:\n  policy: phplist\n"
                + "  poll_interval: 0.3\n  mailboxes:\n    - " + Access.imaps.entry(dovecot, certificates)
                    .replacingOccurrences(of: "\n", with: "\n      ") + "\n")
            let service = try installation.facteur.launch(["--config", installation.config, "run", "--poll-interval", "5"])
            defer { if service.process.isRunning { service.signal(SIGKILL) } }
            try await Task.sleep(for: .seconds(1))
            try dovecot.deliver(try IntakeFixtures.sampleBounces())
            try await ListenerRunTests.waitFor(installation, "SELECT COUNT(*) FROM phplist_bounceregex_bounce", toBe: 1)
            for _ in 0..<100 where !dovecot.files().isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            #expect(dovecot.files().isEmpty)
            service.signal(SIGTERM)
            let result = try await service.waitForExit(timeout: 30)
            #expect(result.status == 0, "\(result.standardError)")
            let problems = SampleExpectation.differencesUnderPolicyPHPList(try await installation.snapshot(), try await installation.expected())
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            #expect(try await installation.fixture.int("SELECT COUNT(*) FROM phplist_sendprocess") == 0)
            #expect(try await installation.fixture.int(
                "SELECT COUNT(*) FROM facteur_bounce_mailbox_leases WHERE worker_id <> '' AND expires > NOW(6)") == 0)
        }
    }

    /// An unreachable server, a refused login and a missing file are each named; the good mailbox after
    /// them is still processed, and the exit status says something failed.
    @Test func eachFailingMailboxIsNamedAndTheOthersStillRun() async throws {
        try await Self.withDovecot { dovecot, certificates in
            let installation = try await BounceInstallation.make()
            defer { Task { await installation.tearDown() } }
            try dovecot.deliver(try IntakeFixtures.sampleBounces())
            let closedPort = try SinkPorts.free()
            let wrongPassword = dovecot.imapURL().replacingOccurrences(of: ":\(TestDovecot.password)@", with: ":wrong@")
            try installation.configure(policy: "phplist", mailboxes: [
                "url: imap://bounces:secret@127.0.0.1:\(closedPort)/INBOX\nstarttls: off",
                "url: \(wrongPassword)\nstarttls: off",
                "url: mbox:///nonexistent/facteur/bounces.mbox",
                Access.imap.entry(dovecot, certificates),
            ])
            let result = try await installation.run(["bounces"])
            #expect(result.status == 1)
            #expect(result.standardError.contains("imap://bounces@127.0.0.1:\(closedPort)/INBOX: cannot connect"), "\(result.standardError)")
            #expect(result.standardError.contains("login refused"), "\(result.standardError)")
            #expect(result.standardError.contains("/nonexistent/facteur/bounces.mbox"), "\(result.standardError)")
            #expect(result.standardError.contains("3 of 4 bounce mailboxes not processed"), "\(result.standardError)")
            #expect(!result.standardError.contains(TestDovecot.password + "@"), "a password leaked: \(result.standardError)")
            #expect(result.lines.last?.contains("4 bounces: 4 recorded") == true, "\(result.standardOutput)")
            #expect(dovecot.files().isEmpty)
        }
    }

    /// PHPList's own `$bounce_*` settings from config.php, with no mailbox in facteur.yaml.
    @Test func phplistsBounceMailboxSettingsAreRead() async throws {
        try await Self.withDovecot { dovecot, _ in
            let installation = try await BounceInstallation.make()
            defer { Task { await installation.tearDown() } }
            try dovecot.deliver(try IntakeFixtures.sampleBounces())
            let php = installation.directory.appendingPathComponent("config.php")
            try """
                <?php
                $bounce_protocol = 'pop';
                $bounce_mailbox_host = '\(dovecot.host)';
                $bounce_mailbox_user = '\(TestDovecot.user)';
                $bounce_mailbox_password = '\(TestDovecot.password)';
                $bounce_mailbox_port = '\(dovecot.pop3Port)/pop3/notls';
                $bounce_mailbox_purge_unprocessed = false;
                """.write(to: php, atomically: true, encoding: .utf8)
            try installation.configure("phplist:\n  config_php: \(php.path)\nbounces:\n  policy: phplist\n")
            let result = try await installation.run(["bounces"])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.lines.last?.hasPrefix("pop3://bounces@127.0.0.1:\(dovecot.pop3Port): 4 bounces: 4 recorded") == true,
                    "\(result.standardOutput)")
            // The unidentified bounce stays (purge_unprocessed = false), remembered so it is not read again.
            #expect(dovecot.files().count == 1)
            #expect(try await installation.fixture.int("SELECT COUNT(*) FROM facteur_bounce_mailbox_kept") == 1)
            let again = try await installation.run(["bounces"])
            #expect(again.lines.last?.contains(": 0 bounces:") == true, "\(again.standardOutput)")
            let problems = SampleExpectation.differencesUnderPolicyPHPList(try await installation.snapshot(), try await installation.expected())
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
    }

    /// IMAP: processed messages moved to a folder, unidentified ones flagged and left in INBOX.
    @Test func processedMovedAndUnprocessedFlagged() async throws {
        try await Self.withDovecot { dovecot, _ in
            let installation = try await BounceInstallation.make()
            defer { Task { await installation.tearDown() } }
            try dovecot.deliver(try IntakeFixtures.sampleBounces())
            try installation.configure(policy: "phplist", mailboxes: [
                "url: \(dovecot.imapURL())\nstarttls: off\nprocessed: move:Processed\nunprocessed: flag:$Unidentified"])
            let result = try await installation.run(["bounces"])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(dovecot.files().count == 1)
            #expect(dovecot.files(folder: "Processed").count == 3)
            let again = try await installation.run(["bounces"])
            #expect(again.lines.last?.contains(": 0 bounces:") == true, "\(again.standardOutput)")
        }
    }

    /// While another worker holds the mailbox's lease, this one leaves the mailbox alone.
    @Test func aMailboxLeasedByAnotherWorkerIsSkipped() async throws {
        try await Self.withDovecot { dovecot, certificates in
            let installation = try await BounceInstallation.make()
            defer { Task { await installation.tearDown() } }
            try dovecot.deliver(try IntakeFixtures.sampleBounces())
            try installation.configure(policy: "phplist", mailboxes: [Access.imap.entry(dovecot, certificates)])
            let key = try MailboxEndpoint(url: dovecot.imapURL()).key
            let lease = BounceMailboxLease(pool: installation.fixture.pool, mailbox: key, workerID: "other-worker", seconds: 60)
            #expect(try await lease.acquire())
            let result = try await installation.run(["bounces"])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.lines.last?.contains("skipped, read by worker other-worker") == true, "\(result.standardOutput)")
            #expect(try await installation.fixture.int("SELECT COUNT(*) FROM phplist_bounce") == 0)
            #expect(dovecot.files().count == 4)
        }
    }
}
