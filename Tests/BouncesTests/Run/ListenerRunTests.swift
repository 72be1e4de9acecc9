import Compose
import FacteurTesting
import Foundation
import SMTP
import Testing
@testable import Bounces

/// `facteur run` with `bounces.listen`: the real service receiving bounces over SMTP and writing them
/// into PHPList's tables, the project's SMTP client and Python's smtplib as the sending MTAs.
@Suite struct ListenerRunTests {
    static var relayURL: String { ProcessInfo.processInfo.environment["FACTEUR_TEST_SMTP_URL"] ?? "smtp://127.0.0.1:2525" }

    /// Starts `facteur run` with the listener on a free port and waits until it accepts connections.
    static func startService(_ installation: BounceInstallation, policy: String, maxSize: Int? = nil, verpSecret: String? = nil)
        async throws -> (FacteurCommand.Running, Int) {
        let port = try SinkPorts.free()
        var yaml = "relays:\n  - name: sink\n    url: \(relayURL)\n"
        if verpSecret != nil { yaml += "compose:\n  verp: true\n  envelope_sender: bounces@example.org\n" }
        yaml += "bounces:\n  policy: \(policy)\n  listen: 127.0.0.1:\(port)\n  domains: [example.org]\n  poll_interval: 0.3\n"
        if let maxSize { yaml += "  max_size: \(maxSize)\n" }
        if let verpSecret { yaml += "  verp_secret: \(verpSecret)\n" }
        try installation.configure(yaml)
        let service = try installation.facteur.launch(["--config", installation.config, "run", "--poll-interval", "5"])
        // Up to a minute: the whole suite runs in parallel on CI's two cores.
        for _ in 0..<600 {
            if let connection = try? await SMTPConnection.connect(to: SMTPRelayConfiguration(host: "127.0.0.1", port: port, startTLS: .off)) {
                await connection.quit()
                return (service, port)
            }
            guard service.process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        if service.process.isRunning {
            service.signal(SIGKILL)
            throw BounceInstallation.SetupFailure(message: "facteur run did not listen on \(port) within a minute: \(service.outputSoFar)")
        }
        let ended = try await service.waitForExit(timeout: 10)
        throw BounceInstallation.SetupFailure(message: "facteur run exited with \(ended.status) before listening on \(port): \(ended.standardError)")
    }

    static func send(_ messages: [[UInt8]], port: Int, to recipient: String = "bounces@example.org") async throws -> [Int] {
        let connection = try await SMTPConnection.connect(to: SMTPRelayConfiguration(host: "127.0.0.1", port: port, startTLS: .off))
        var codes: [Int] = []
        for message in messages {
            let outcome = try await connection.send(envelope: SMTPEnvelope(mailFrom: "", recipients: [recipient]), message: message)
            codes.append(outcome.recipients.first?.reply.code ?? 0)
        }
        await connection.quit()
        return codes
    }

    static func waitFor(_ installation: BounceInstallation, _ sql: String, toBe value: Int, seconds: Double = 30) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await installation.fixture.int(sql) == value { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test(arguments: ["phplist", "facteur"])
    func sampleThroughTheListenerEndsAsPHPListDid(policy: String) async throws {
        let installation = try await BounceInstallation.make()
        defer { Task { await installation.tearDown() } }
        let (service, port) = try await Self.startService(installation, policy: policy)
        defer { if service.process.isRunning { service.signal(SIGKILL) } }

        let codes = try await Self.send(try IntakeFixtures.sampleBounces().map(IntakeFixtures.crlf), port: port)
        #expect(codes == [250, 250, 250, 250])
        // 250 came after the commit: the rows are there; the rules pass follows at the next poll.
        #expect(try await installation.fixture.int("SELECT COUNT(*) FROM phplist_bounce") == 4)
        try await Self.waitFor(installation, "SELECT COUNT(*) FROM phplist_bounceregex_bounce", toBe: 1)
        service.signal(SIGTERM)
        let result = try await service.waitForExit(timeout: 30)
        #expect(result.status == 0, "\(result.standardError)")

        let actual = SampleExpectation.withoutListenerHeaders(try await installation.snapshot())
        let expected = try await installation.expected()
        let problems = policy == "phplist" ? SampleExpectation.differencesUnderPolicyPHPList(actual, expected)
            : SampleExpectation.differencesUnderPolicyFacteur(actual, expected)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(try await installation.fixture.int("SELECT COUNT(*) FROM phplist_sendprocess") == 0)
    }

    /// Relay refused (550), over `bounces.max_size` refused (552); a 5 MB bounce, broken MIME and an empty
    /// message are accepted, stored for a human to see, each with a log line; the service keeps running.
    @Test(.enabled(if: SinkRequirement.runAiosmtpdTests, "/usr/bin/python3 is missing"))
    func limitsAndOddMessages() async throws {
        let installation = try await BounceInstallation.make()
        defer { Task { await installation.tearDown() } }
        let (service, port) = try await Self.startService(installation, policy: "facteur", maxSize: 6_000_000)
        defer { if service.process.isRunning { service.signal(SIGKILL) } }

        let line = String(repeating: "0123456789", count: 7) + "\r\n"
        let big = Array(("From: MAILER-DAEMON@mx.example.net\r\nSubject: Undelivered Mail\r\n\r\n"
            + String(repeating: line, count: 5_000_000 / line.utf8.count)).utf8)
        let broken = Array(("From: MAILER-DAEMON@mx.example.net\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; boundary=\"never-closed\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "--never-closed\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.\u{1}\r\n=?utf-8?B?@@@?=\r\n").utf8)
        let codes = try await Self.send([big, broken, []], port: port)
        #expect(codes == [250, 250, 250])

        let script = """
        import smtplib, sys
        s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='mx.example.net')
        s.ehlo()
        print('relay', s.docmd('MAIL FROM:<>')[0], s.docmd('RCPT TO:<victim@elsewhere.com>')[0])
        s.rset()
        s.mail('')
        s.rcpt('bounces@example.org')
        print('data', s.data('Subject: too big\\r\\n\\r\\n' + ('x' * 70 + '\\r\\n') * 90000)[0])
        s.quit()
        """
        let output = try await PythonScript.run(script, arguments: [String(port)])
        #expect(output.contains("relay 250 550"), "\(output)")
        #expect(output.contains("data 552"), "\(output)")

        #expect(try await installation.fixture.int("SELECT COUNT(*) FROM phplist_bounce") == 3)
        #expect(try await installation.fixture.int("SELECT MAX(LENGTH(data)) FROM phplist_bounce") > 4_900_000)
        service.signal(SIGTERM)
        let result = try await service.waitForExit(timeout: 30)
        #expect(result.status == 0)
        let log = result.standardError + result.standardOutput
        #expect(log.contains("empty message received by the bounce listener"), "\(log)")
        #expect(log.components(separatedBy: "bounce received by the listener and committed").count - 1 == 3, "\(log)")
        #expect(log.contains("bounce not identified"), "\(log)")
    }
}

extension ListenerRunTests {
    /// With VERP on, the RCPT TO the listener saw decides: a correctly signed address identifies, a forged
    /// one changes nobody whatever the returned headers claim, and an auto-reply is stored but not counted.
    @Test func verpThroughTheListenerForgedIgnoredAutoReplyNotCounted() async throws {
        let installation = try await BounceInstallation.make()
        defer { Task { await installation.tearDown() } }
        let secret = "a-test-secret-of-some-length"
        let (service, port) = try await Self.startService(installation, policy: "facteur", verpSecret: secret)
        defer { if service.process.isRunning { service.signal(SIGKILL) } }
        let verp = VERPAddress.Config(localPart: "bounces", domain: "example.org", secret: Array(secret.utf8))

        let full = ProcessingFixture.dsn(email: "user0001@example.net", campaign: 2)
        let signed = VERPAddress(campaignID: 2, subscriberID: 2).encode(verp)
        #expect(try await Self.send([IntakeFixtures.crlf(full)], port: port, to: signed) == [250])
        let forged = ProcessingFixture.dsn(email: "user1201@example.net", campaign: 2, status: "5.1.1", text: "User unknown")
        #expect(try await Self.send([IntakeFixtures.crlf(forged)], port: port, to: "bounces+2.1202.0123456789ab@example.org") == [250])
        let autoReply = IntakeFixtures.crlf(ProcessingBehaviourTests.autoReply)
        #expect(try await Self.send([autoReply], port: port, to: VERPAddress(campaignID: 2, subscriberID: 5).encode(verp)) == [250])

        #expect(try await installation.fixture.rows("SELECT status FROM phplist_bounce ORDER BY id")
            == [[.string("bounced list message 2")], [.string("unidentified bounce")], [.string("not counted: auto-reply")]])
        service.signal(SIGTERM)
        #expect(try await service.waitForExit(timeout: 30).status == 0)
        #expect(try await installation.fixture.rows(
            "SELECT id, confirmed, blacklisted, bouncecount FROM phplist_user_user WHERE id IN (2, 5, 1202) ORDER BY id")
            == [[.int(2), .int(1), .int(0), .int(1)], [.int(5), .int(1), .int(0), .int(0)], [.int(1202), .int(1), .int(0), .int(0)]])
        #expect(try await installation.fixture.int("SELECT bouncecount FROM phplist_message WHERE id = 2") == 1)
        #expect(try await installation.fixture.int("SELECT COUNT(*) FROM phplist_bounceregex_bounce") == 0)
    }
}

/// Runs a Python script with /usr/bin/python3 (smtplib as an outside SMTP client).
enum PythonScript {
    static func run(_ script: String, arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                do {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: SinkRequirement.python)
                    process.arguments = ["-c", script] + arguments
                    let pipe = Pipe()
                    process.standardOutput = pipe
                    process.standardError = pipe
                    try process.run()
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: String(decoding: data, as: UTF8.self))
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
    }
}
