import FacteurTesting
import Foundation
import SMTP
import Testing
@testable import Bounces

/// The inbound listener on 127.0.0.x, driven by real clients: the project's SMTPConnection and
/// Python's smtplib (/usr/bin/python3).
@Suite struct BounceListenerTests {
    /// What the listener's handler received; fails on demand to test the 451 path.
    actor Inbox {
        var messages: [InboundMessage] = []
        var failNext = false
        func store(_ message: InboundMessage) throws {
            if failNext {
                failNext = false
                throw CocoaError(.fileWriteUnknown)
            }
            messages.append(message)
        }
        func setFailNext() { failNext = true }
    }

    private func start(_ inbox: Inbox, host: String = "127.0.0.2", maxSize: Int = 1_000_000,
                       limits: BounceListener.Limits = .init()) async throws -> BounceListener {
        try await BounceListener.start(
            host: host, port: 0,
            settings: .init(hostname: "bounces.example.org", domains: ["example.org"], maxSize: maxSize),
            limits: limits) { message in try await inbox.store(message) }
    }

    @Test func sampleBouncesArriveWithTheirEnvelopeAndAre250AfterTheHandler() async throws {
        let inbox = Inbox()
        let listener = try await start(inbox)
        defer { Task { await listener.stop() } }
        let connection = try await SMTPConnection.connect(to: SMTPRelayConfiguration(host: "127.0.0.2", port: listener.port, startTLS: .off))
        let bounces = try IntakeFixtures.sampleBounces()
        for bounce in bounces {
            let outcome = try await connection.send(envelope: SMTPEnvelope(mailFrom: "", recipients: ["bounces@example.org"]), message: bounce)
            #expect(outcome.recipients.map(\.status) == [.accepted])
            #expect(outcome.recipients.first?.reply.code == 250)
        }
        await connection.quit()
        let received = await inbox.messages
        #expect(received.count == 4)
        #expect(received.map(\.data) == bounces.map(IntakeFixtures.crlf))
        #expect(received.allSatisfy { $0.mailFrom == "" && $0.recipients == ["bounces@example.org"] && $0.clientAddress == "127.0.0.1" })
    }

    @Test func handlerFailureIs451AndNothingIsKept() async throws {
        let inbox = Inbox()
        await inbox.setFailNext()
        let listener = try await start(inbox)
        defer { Task { await listener.stop() } }
        let connection = try await SMTPConnection.connect(to: SMTPRelayConfiguration(host: "127.0.0.2", port: listener.port, startTLS: .off))
        let envelope = SMTPEnvelope(mailFrom: "", recipients: ["bounces@example.org"])
        let first = try await connection.send(envelope: envelope, message: Array("Subject: a\r\n\r\nx\r\n".utf8))
        #expect(first.recipients.first?.reply.code == 451)
        let second = try await connection.send(envelope: envelope, message: Array("Subject: b\r\n\r\ny\r\n".utf8))
        #expect(second.recipients.first?.reply.code == 250)
        await connection.quit()
        #expect(await inbox.messages.count == 1)
    }

    /// Python's smtplib as an outside client: relay denied, size limit, and a VERP recipient.
    @Test(.enabled(if: SinkRequirement.runAiosmtpdTests, "/usr/bin/python3 is missing"))
    func smtplibSeesRelayDenialAndSizeLimit() async throws {
        let inbox = Inbox()
        let listener = try await start(inbox, host: "127.0.0.3", maxSize: 2_000)
        defer { Task { await listener.stop() } }
        let script = """
        import smtplib, sys
        s = smtplib.SMTP('127.0.0.3', int(sys.argv[1]), local_hostname='mx.example.net')
        code, _ = s.ehlo()
        print('ehlo', code, s.esmtp_features.get('size'))
        print('relay', s.docmd('MAIL FROM:<>')[0], s.docmd('RCPT TO:<victim@elsewhere.com>')[0])
        s.rset()
        try:
            s.sendmail('', ['bounces@example.org'], 'Subject: big\\r\\n\\r\\n' + 'x' * 3000 + '\\r\\n')
        except smtplib.SMTPException as e:
            print('big', e.smtp_code if hasattr(e, 'smtp_code') else repr(e))
        s.sendmail('', ['bounce-2-1202-ab12@example.org'], 'Subject: small\\r\\n\\r\\n.dot\\r\\n')
        print('small ok')
        s.quit()
        """
        let output = try await PythonScript.run(script, arguments: [String(listener.port)])
        #expect(output.contains("ehlo 250 2000"))
        #expect(output.contains("relay 250 550"))
        #expect(output.contains("big 552"))
        #expect(output.contains("small ok"))
        let messages = await inbox.messages
        #expect(messages.map(\.recipients) == [["bounce-2-1202-ab12@example.org"]])
        #expect(messages.first?.data == Array("Subject: small\r\n\r\n.dot\r\n".utf8))
        #expect(messages.first?.heloName == "mx.example.net")
    }

    /// A 5 MB bounce under the limit arrives whole (the project's client); a client that does
    /// not declare SIZE is refused after its data with 552 5.3.4 (smtplib), and its session goes on.
    @Test(.enabled(if: SinkRequirement.runAiosmtpdTests, "/usr/bin/python3 is missing"))
    func fiveMegabyteBounceAndSizeLimitAtTheFinalDot() async throws {
        let inbox = Inbox()
        let listener = try await start(inbox, host: "127.0.0.5", maxSize: 6_000_000)
        defer { Task { await listener.stop() } }
        let connection = try await SMTPConnection.connect(to: SMTPRelayConfiguration(host: "127.0.0.5", port: listener.port, startTLS: .off))
        let line = String(repeating: "0123456789", count: 7) + "\r\n"
        let big = Array(("Subject: big\r\n\r\n" + String(repeating: line, count: 5_000_000 / line.utf8.count)).utf8)
        let accepted = try await connection.send(envelope: SMTPEnvelope(mailFrom: "", recipients: ["bounces@example.org"]), message: big)
        #expect(accepted.recipients.first?.reply.code == 250)
        await connection.quit()
        #expect(await inbox.messages.map(\.data) == [big])

        let script = """
        import smtplib, sys
        s = smtplib.SMTP('127.0.0.5', int(sys.argv[1]))
        s.ehlo()
        s.mail('')
        s.rcpt('bounces@example.org')
        print('data', s.data('Subject: too big\\r\\n\\r\\n' + ('x' * 70 + '\\r\\n') * 90000)[0])
        print('noop', s.noop()[0])
        s.quit()
        """
        let output = try await PythonScript.run(script, arguments: [String(listener.port)])
        #expect(output.contains("data 552"), "\(output)")
        #expect(output.contains("noop 250"))
        #expect(await inbox.messages.count == 1)
    }

    @Test func connectionsPerClientAreLimited() async throws {
        var limits = BounceListener.Limits()
        limits.connectionsPerClient = 2
        let listener = try await start(Inbox(), host: "127.0.0.4", limits: limits)
        defer { Task { await listener.stop() } }
        let configuration = SMTPRelayConfiguration(host: "127.0.0.4", port: listener.port, startTLS: .off)
        let first = try await SMTPConnection.connect(to: configuration)
        let second = try await SMTPConnection.connect(to: configuration)
        await #expect {
            try await SMTPConnection.connect(to: configuration)
        } throws: { error in
            "\(error)".contains("421")
        }
        await first.quit()
        // A slot is free again once a session ended.
        var third: SMTPConnection?
        for _ in 0..<50 where third == nil {
            third = try? await SMTPConnection.connect(to: configuration)
            if third == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(third != nil)
        await second.quit()
        await third?.quit()
    }
}
