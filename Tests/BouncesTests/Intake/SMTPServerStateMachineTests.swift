import SMTP
import Testing
@testable import Bounces

@Suite struct SMTPServerStateMachineTests {
    private func machine(maxSize: Int = 10_000) -> SMTPServerStateMachine {
        SMTPServerStateMachine(settings: .init(hostname: "bounces.example.org", domains: ["Example.org", "bounce.example.net"],
                                               maxSize: maxSize))
    }

    /// Feeds each line and returns the reply codes and the deliveries, in order.
    private func run(_ machine: inout SMTPServerStateMachine, _ lines: [String]) -> [String] {
        describe(machine.receive(Array(lines.map { $0 + "\r\n" }.joined().utf8)))
    }

    private func describe(_ actions: [SMTPServerStateMachine.Action]) -> [String] {
        actions.map { action in
            switch action {
            case .reply(let reply): "\(reply.code)\(reply.enhancedStatus.map { " \($0)" } ?? "")"
            case .deliver(let message): "deliver \(message.mailFrom) -> \(message.recipients.joined(separator: ","))"
            case .close: "close"
            }
        }
    }

    @Test func ehloAdvertisesSizeAndTheLimit() {
        var session = machine(maxSize: 5_000)
        let actions = session.receive(Array("EHLO mx.example.net\r\n".utf8))
        guard case .reply(let reply) = actions.first else { Issue.record("\(actions)"); return }
        #expect(reply.code == 250)
        #expect(reply.lines.contains("SIZE 5000"))
        #expect(reply.lines.contains("PIPELINING"))
    }

    /// The whole pipelined transaction; 250 to DATA only after the delivery finished, and the
    /// pipelined QUIT waits for it.
    @Test func acceptedOnlyAfterCommit() {
        var session = machine()
        let first = run(&session, [
            "EHLO mx.example.net", "MAIL FROM:<> SIZE=200", "RCPT TO:<bounces@example.org>",
            "RCPT TO:<bounce-2-1202-x@BOUNCE.example.net>", "DATA",
            "Subject: bounce", "", "..dot line", ".", "QUIT",
        ])
        #expect(first == ["250", "250 2.1.0", "250 2.1.5", "250 2.1.5", "354",
                          "deliver  -> bounces@example.org,bounce-2-1202-x@BOUNCE.example.net"])
        #expect(describe(session.deliveryFinished(error: nil)) == ["250 2.0.0", "221 2.0.0", "close"])
        #expect(session.isClosed)
    }

    @Test func deliveredDataIsUnstuffed() {
        var session = machine()
        let actions = session.receive(Array("HELO a\r\nMAIL FROM:<x@y.z>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nA\r\n..B\r\n.\r\n".utf8))
        guard case .deliver(let message) = actions.last else { Issue.record("\(actions)"); return }
        #expect(message.data == Array("A\r\n.B\r\n".utf8))
        #expect(message.heloName == "a")
        #expect(message.mailFrom == "x@y.z")
    }

    @Test func failedCommitAnswers451AndTheSessionGoesOn() {
        var session = machine()
        _ = run(&session, ["EHLO a", "MAIL FROM:<>", "RCPT TO:<b@example.org>", "DATA", "x", "."])
        #expect(describe(session.deliveryFinished(error: "database down")) == ["451 4.3.0"])
        #expect(run(&session, ["MAIL FROM:<>"]) == ["250 2.1.0"])
    }

    @Test func neverRelays() {
        var session = machine()
        #expect(run(&session, ["EHLO a", "MAIL FROM:<>", "RCPT TO:<victim@elsewhere.com>", "RCPT TO:<x@sub.example.org>",
                               "RCPT TO:<x@example.org.evil.com>", "DATA"])
            == ["250", "250 2.1.0", "550 5.7.1", "550 5.7.1", "550 5.7.1", "503 5.5.1"])
    }

    @Test func oversizedDeclaredSizeIsRefusedAtMail() {
        var session = machine(maxSize: 1_000)
        #expect(run(&session, ["EHLO a", "MAIL FROM:<> SIZE=1001", "MAIL FROM:<> SIZE=1000"]) == ["250", "552 5.3.4", "250 2.1.0"])
    }

    @Test func oversizedDataIsRefusedAfterTheFinalDot() {
        var session = machine(maxSize: 1_000)
        let big = String(repeating: "0123456789", count: 20)
        let replies = run(&session, ["EHLO a", "MAIL FROM:<>", "RCPT TO:<b@example.org>", "DATA"] + Array(repeating: big, count: 6) + [".", "NOOP"])
        #expect(replies == ["250", "250 2.1.0", "250 2.1.5", "354", "552 5.3.4", "250 2.0.0"])
    }

    @Test func badSequencesAre503AndUnknownCommands500() {
        var session = machine()
        #expect(run(&session, ["MAIL FROM:<>", "RCPT TO:<b@example.org>", "DATA", "FOO", "HELO"])
            == ["503 5.5.1", "503 5.5.1", "503 5.5.1", "500 5.5.2", "501 5.5.4"])
        #expect(run(&session, ["HELO a", "RCPT TO:<b@example.org>", "MAIL FROM:<>", "MAIL FROM:<>", "MAIL TO:<x>"])
            == ["250", "503 5.5.1", "250 2.1.0", "503 5.5.1", "503 5.5.1"])
    }

    @Test func rsetForgetsTheTransaction() {
        var session = machine()
        #expect(run(&session, ["EHLO a", "MAIL FROM:<>", "RCPT TO:<b@example.org>", "RSET", "DATA", "NOOP"])
            == ["250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "503 5.5.1", "250 2.0.0"])
    }

    @Test func tooManyErrorsCloseTheSession() {
        var session = machine()
        let replies = run(&session, Array(repeating: "XYZZY", count: 12))
        #expect(replies.suffix(2) == ["421 4.7.0", "close"])
        #expect(replies.count == 11)
        #expect(session.isClosed)
    }

    @Test func endlessCommandLineIsAnsweredOnce() {
        var session = machine()
        let replies = describe(session.receive([UInt8](repeating: UInt8(ascii: "A"), count: 5000)))
        #expect(replies == ["500 5.5.6"])
        #expect(run(&session, ["NOOP"]) == ["250 2.0.0"])
    }

    @Test func tracesHeadersNameTheEnvelope() {
        let message = InboundMessage(mailFrom: "", recipients: ["b@example.org"], heloName: "mx", data: Array("S: x\r\n".utf8),
                                     clientAddress: "127.0.0.2")
        let text = String(decoding: message.storedBytes(receivedBy: "h"), as: UTF8.self)
        #expect(text.hasPrefix("Return-Path: <>\r\nX-Original-To: b@example.org\r\nReceived: from mx ([127.0.0.2])\r\n"))
        #expect(text.hasSuffix("+0000\r\nS: x\r\n"))
    }
}
