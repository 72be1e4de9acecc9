import NIOCore
@testable import SMTP
import Testing

/// Drives the state machine with server bytes, as a socket would deliver them.
struct Session {
    var machine: SMTPClientStateMachine
    var parser = SMTPReplyParser()

    init(_ settings: SMTPClientStateMachine.Settings) {
        machine = SMTPClientStateMachine(settings: settings)
    }

    /// Feeds one read; returns the actions of every reply it completed.
    mutating func server(_ bytes: String) throws -> [SMTPClientStateMachine.Action] {
        parser.append(ByteBuffer(string: bytes))
        var actions: [SMTPClientStateMachine.Action] = []
        while let reply = try parser.next() { actions.append(machine.replyReceived(reply)) }
        return actions
    }

    /// Greeting and a plain EHLO offering `capabilities` (one keyword per line).
    mutating func establish(_ capabilities: [String]) throws {
        #expect(try server("220 mx ESMTP\r\n") == [.send(.ehlo("client.example"))])
        let ehlo = (["250-mx"] + capabilities.dropLast().map { "250-\($0)" } + ["250 \(capabilities.last ?? "")"]).joined(separator: "\r\n") + "\r\n"
        let actions = try server(ehlo)
        guard case .sessionReady = actions.last else { Issue.record("not ready: \(actions)"); return }
    }
}

func encoded(_ text: String) throws -> SMTPMessageEncoder.Encoded {
    try SMTPMessageEncoder.encode(Array(text.utf8))
}

let plain = SMTPClientStateMachine.Settings(heloName: "client.example", startTLS: .off)

@Suite struct SMTPClientStateMachineTests {
    @Test func pipelinedTransactionReportsEachRecipient() throws {
        var s = Session(plain)
        try s.establish(["PIPELINING", "SIZE 1000000", "8BITMIME"])
        let envelope = SMTPEnvelope(mailFrom: "list@example.org", recipients: ["a@example.net", "b@example.net"])
        let message = try encoded("Subject: hi\n\nbody\n")
        #expect(s.machine.sendRequested(envelope: envelope, encoded: message) == .sendPipelined([
            .mailFrom("list@example.org", parameters: ["SIZE=21"]),
            .rcptTo("a@example.net", parameters: []), .rcptTo("b@example.net", parameters: []), .data,
        ]))
        // All four replies in one read.
        let actions = try s.server("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <b@example.net>: unknown\r\n354 go\r\n")
        #expect(actions == [.none, .none, .none, .sendBody(message.bytes)])
        #expect(s.machine.stage == .dataTermination)
        guard case .messageCompleted(let outcome, let followUp) = try s.server("250 2.0.0 Ok: queued as X\r\n").first else {
            Issue.record("no completion"); return
        }
        #expect(followUp == .none)
        #expect(outcome.isDelivered)
        #expect(outcome.recipients.map(\.status) == [.accepted, .permanent])
        #expect(outcome.recipients[0].reply.text == "Ok: queued as X")
        #expect(outcome.recipients[1].reply == SMTPReply(code: 550, lines: ["5.1.1 <b@example.net>: unknown"]))
        #expect(s.machine.isReady)
        #expect(s.machine.messagesSent == 1)
    }

    @Test func withoutPipeliningCommandsGoOneByOne() throws {
        var s = Session(plain)
        try s.establish(["SIZE"])
        let message = try encoded("x\n")
        let envelope = SMTPEnvelope(mailFrom: "", recipients: ["tempfail@x", "ok@x"])
        #expect(s.machine.sendRequested(envelope: envelope, encoded: message) == .send(.mailFrom("", parameters: ["SIZE=3"])))
        #expect(try s.server("250 ok\r\n") == [.send(.rcptTo("tempfail@x", parameters: []))])
        #expect(try s.server("451 4.7.1 later\r\n") == [.send(.rcptTo("ok@x", parameters: []))])
        #expect(try s.server("250 ok\r\n") == [.send(.data)])
        #expect(try s.server("354 go\r\n") == [.sendBody(message.bytes)])
        guard case .messageCompleted(let outcome, .none) = try s.server("250 queued\r\n").first else { Issue.record("no completion"); return }
        #expect(outcome.recipients.map(\.status) == [.transient, .accepted])
        #expect(outcome.isDelivered)
    }

    @Test func allRecipientsRefusedSkipsDataAndResets() throws {
        var s = Session(plain)
        try s.establish(["8BITMIME"])
        _ = s.machine.sendRequested(envelope: SMTPEnvelope(mailFrom: "f@x", recipients: ["r@x"]), encoded: try encoded("x"))
        _ = try s.server("250 ok\r\n")
        guard case .messageCompleted(let outcome, .rset) = try s.server("550 5.1.1 no\r\n").first else { Issue.record("no completion"); return }
        #expect(!outcome.isDelivered)
        #expect(outcome.dataReply == nil)
        #expect(outcome.permanentFailures.count == 1)
        #expect(!s.machine.isReady)
        #expect(try s.server("250 2.0.0 reset\r\n") == [.none])
        #expect(s.machine.isReady)
    }

    @Test func pipelinedMailFailureWaitsForEveryReplyThenResets() throws {
        var s = Session(plain)
        try s.establish(["PIPELINING"])
        _ = s.machine.sendRequested(envelope: SMTPEnvelope(mailFrom: "f@x", recipients: ["a@x", "b@x"]), encoded: try encoded("x"))
        let actions = try s.server("452 4.3.1 insufficient storage\r\n503 5.5.1 need MAIL\r\n503 5.5.1 need MAIL\r\n")
        #expect(actions == [.none, .none, .none])
        guard case .messageCompleted(let outcome, .rset) = try s.server("503 5.5.1 need RCPT\r\n").first else { Issue.record("no completion"); return }
        #expect(outcome.recipients.allSatisfy { $0.status == .transient && $0.reply.code == 452 })
    }

    @Test func noValidRecipientButDataAcceptedSendsEmptyMessage() throws {
        var s = Session(plain)
        try s.establish(["PIPELINING"])
        _ = s.machine.sendRequested(envelope: SMTPEnvelope(mailFrom: "f@x", recipients: ["a@x"]), encoded: try encoded("secret body"))
        #expect(try s.server("250 ok\r\n550 no\r\n354 go\r\n").last == .sendBody(ByteBuffer(string: ".\r\n")))
        guard case .messageCompleted(let outcome, .none) = try s.server("554 no valid recipients\r\n").first else { Issue.record("no completion"); return }
        #expect(!outcome.isDelivered)
        #expect(outcome.recipients[0].reply.code == 550)
    }

    @Test func failedDataReplyIsNeverDelivered() throws {
        var s = Session(plain)
        try s.establish(["PIPELINING"])
        _ = s.machine.sendRequested(envelope: SMTPEnvelope(mailFrom: "f@x", recipients: ["a@x"]), encoded: try encoded("x"))
        _ = try s.server("250 ok\r\n250 ok\r\n354 go\r\n")
        guard case .messageCompleted(let outcome, .none) = try s.server("451 4.3.0 try later\r\n").first else { Issue.record("no completion"); return }
        #expect(!outcome.isDelivered)
        #expect(outcome.transientFailures.map(\.reply.code) == [451])
    }

    @Test func serviceClosingMidTransactionClosesTheConnection() throws {
        var s = Session(plain)
        try s.establish(["PIPELINING"])
        _ = s.machine.sendRequested(envelope: SMTPEnvelope(mailFrom: "f@x", recipients: ["a@x", "b@x"]), encoded: try encoded("x"))
        let actions = try s.server("250 ok\r\n421 4.3.2 shutting down\r\n")
        guard case .messageCompleted(let outcome, .close) = actions.last else { Issue.record("no completion: \(actions)"); return }
        #expect(outcome.recipients.allSatisfy { $0.status == .transient && $0.reply.code == 421 })
        #expect(!s.machine.isUsable)
        #expect(s.machine.stage == nil)
    }

    @Test func connectionLostMidDataFailsTheMessage() throws {
        var s = Session(plain)
        try s.establish(["PIPELINING"])
        _ = s.machine.sendRequested(envelope: SMTPEnvelope(mailFrom: "f@x", recipients: ["a@x"]), encoded: try encoded("x"))
        _ = try s.server("250 ok\r\n250 ok\r\n354 go\r\n")
        #expect(s.machine.connectionFailed(.connectionClosed(stage: .dataTermination)) == .messageFailed(.connectionClosed(stage: .dataTermination), close: true))
        #expect(!s.machine.isUsable)
    }

    @Test func messageLimitEndsTheSessionWithQuit() throws {
        var settings = plain
        settings.messagesPerConnection = 2
        var s = Session(settings)
        try s.establish(["PIPELINING"])
        for expected in [SMTPClientStateMachine.FollowUp.none, .quit] {
            _ = s.machine.sendRequested(envelope: SMTPEnvelope(mailFrom: "f@x", recipients: ["a@x"]), encoded: try encoded("x"))
            guard case .messageCompleted(_, let followUp) = try s.server("250 ok\r\n250 ok\r\n354 go\r\n250 ok\r\n").last else { Issue.record("no completion"); return }
            #expect(followUp == expected)
        }
        #expect(!s.machine.isUsable)
        #expect(s.machine.sendRequested(envelope: SMTPEnvelope(mailFrom: "f@x", recipients: ["a@x"]), encoded: try encoded("x"))
            == .messageFailed(.connectionNotUsable, close: false))
        #expect(try s.server("221 bye\r\n") == [.close])
    }

    @Test func usesDSN8BitMIMEAndSMTPUTF8OnlyWhenOffered() throws {
        let dsn = SMTPDSNOptions(ret: .headers, envelopeID: "c42+u7=x", notify: [.failure, .delay])
        let envelope = SMTPEnvelope(mailFrom: "f@x", recipients: ["a@x"], dsn: dsn)
        let message = try encoded("héllo\n")
        var s = Session(plain)
        try s.establish(["PIPELINING", "8BITMIME", "DSN", "SIZE 100"])
        #expect(s.machine.sendRequested(envelope: envelope, encoded: message) == .sendPipelined([
            .mailFrom("f@x", parameters: ["SIZE=8", "BODY=8BITMIME", "RET=HDRS", "ENVID=c42+2Bu7+3Dx"]),
            .rcptTo("a@x", parameters: ["NOTIFY=FAILURE,DELAY"]), .data,
        ]))
        var bare = Session(plain)
        try bare.establish(["PIPELINING"])
        #expect(bare.machine.sendRequested(envelope: envelope, encoded: message) == .sendPipelined([
            .mailFrom("f@x", parameters: []), .rcptTo("a@x", parameters: []), .data,
        ]))
        var noUTF8 = Session(plain)
        try noUTF8.establish(["PIPELINING"])
        #expect(noUTF8.machine.sendRequested(envelope: SMTPEnvelope(mailFrom: "f@x", recipients: ["jösé@x"]), encoded: message)
            == .messageFailed(.smtpUTF8Required, close: false))
        var utf8 = Session(plain)
        try utf8.establish(["SMTPUTF8"])
        #expect(utf8.machine.sendRequested(envelope: SMTPEnvelope(mailFrom: "f@x", recipients: ["jösé@x"]), encoded: message)
            == .send(.mailFrom("f@x", parameters: ["SMTPUTF8"])))
    }

    @Test func refusesMessagesOverTheServerSizeLimitBeforeSending() throws {
        var s = Session(plain)
        try s.establish(["SIZE 10"])
        #expect(s.machine.sendRequested(envelope: SMTPEnvelope(mailFrom: "f@x", recipients: ["a@x"]), encoded: try encoded("01234567890"))
            == .messageFailed(.messageTooLarge(size: 13, limit: 10), close: false))
        #expect(s.machine.isReady)
    }

    @Test func heloFallbackForOldServers() throws {
        var s = Session(plain)
        #expect(try s.server("220-old.example\r\n220 sendmail 8.6\r\n") == [.send(.ehlo("client.example"))])
        #expect(try s.server("502 5.5.2 command not recognized\r\n") == [.send(.helo("client.example"))])
        #expect(try s.server("250 old.example\r\n") == [.sessionReady(SMTPCapabilities())])
    }

    @Test func startTLSRequiredButNotOffered() throws {
        var s = Session(.init(heloName: "c", startTLS: .required))
        _ = try s.server("220 mx\r\n")
        #expect(try s.server("250-mx\r\n250 PIPELINING\r\n") == [.sessionFailed(.startTLSRequiredButNotOffered, quit: true)])
    }

    @Test func opportunisticStartTLSThenAuthPlain() throws {
        var s = Session(.init(heloName: "c", startTLS: .opportunistic, username: "user", password: "pa ss"))
        _ = try s.server("220 mx\r\n")
        #expect(try s.server("250-mx\r\n250-starttls\r\n250 AUTH LOGIN\r\n") == [.send(.startTLS)])
        #expect(try s.server("220 2.0.0 go ahead\r\n") == [.startTLS])
        #expect(s.machine.tlsEstablished() == .send(.ehlo("c")))
        // base64("\0user\0pa ss")
        #expect(try s.server("250-mx\r\n250 auth plain login\r\n") == [.send(.auth(mechanism: "PLAIN", initialResponse: "AHVzZXIAcGEgc3M="))])
        guard case .sessionReady = try s.server("235 2.7.0 ok\r\n").first else { Issue.record("not ready"); return }
        #expect(s.machine.isTLSActive)
    }

    @Test func opportunisticStartTLSRefusedContinuesInClear() throws {
        var s = Session(.init(heloName: "c", startTLS: .opportunistic))
        _ = try s.server("220 mx\r\n250-mx\r\n250 STARTTLS\r\n")
        guard case .sessionReady = try s.server("454 4.7.0 TLS not available\r\n").first else { Issue.record("not ready"); return }
        #expect(!s.machine.isTLSActive)
    }

    @Test func authLoginAndFailure() throws {
        var s = Session(.init(heloName: "c", startTLS: .off, username: "user", password: "secret"))
        _ = try s.server("220 mx\r\n")
        #expect(try s.server("250-mx\r\n250 AUTH LOGIN\r\n") == [.send(.auth(mechanism: "LOGIN", initialResponse: nil))])
        #expect(try s.server("334 VXNlcm5hbWU6\r\n") == [.send(.authResponse("dXNlcg=="))])
        #expect(try s.server("334 UGFzc3dvcmQ6\r\n") == [.send(.authResponse("c2VjcmV0"))])
        let failure = SMTPReply(code: 535, lines: ["5.7.8 Authentication credentials invalid"])
        #expect(try s.server("535 5.7.8 Authentication credentials invalid\r\n") == [.sessionFailed(.authFailed(failure), quit: true)])
    }

    @Test func credentialsWithoutAuthOffered() throws {
        var s = Session(.init(heloName: "c", startTLS: .off, username: "u", password: "p"))
        #expect(try s.server("220 mx\r\n250-mx\r\n250 PIPELINING\r\n").last == .sessionFailed(.authNotOffered, quit: true))
    }

    @Test func greetingRefusedAndUnsolicited421() throws {
        var refused = Session(plain)
        #expect(try refused.server("554 5.7.1 go away\r\n") == [.sessionFailed(.greetingRejected(SMTPReply(code: 554, lines: ["5.7.1 go away"])), quit: true)])
        var idle = Session(plain)
        try idle.establish(["PIPELINING"])
        #expect(try idle.server("421 4.4.2 idle timeout\r\n") == [.close])
        #expect(!idle.machine.isUsable)
    }

    @Test func noopKeepsTheSessionAndQuitEndsIt() throws {
        var s = Session(plain)
        try s.establish(["PIPELINING"])
        #expect(s.machine.noopRequested() == .send(.noop))
        #expect(try s.server("250 2.0.0 Ok\r\n") == [.noopCompleted(SMTPReply(code: 250, lines: ["2.0.0 Ok"]), close: false)])
        #expect(s.machine.quitRequested() == .send(.quit))
        #expect(s.machine.stage == .quit)
        #expect(try s.server("221 2.0.0 Bye\r\n") == [.close])
        #expect(s.machine.stage == nil)
    }

    @Test func authSecretsNeverAppearInCommandDescriptions() {
        #expect(SMTPCommand.auth(mechanism: "PLAIN", initialResponse: "AHVzZXIAc2VjcmV0").description == "AUTH PLAIN ***")
        #expect(SMTPCommand.authResponse("c2VjcmV0").description == "***")
        #expect(SMTPCommand.mailFrom("a@b", parameters: ["SIZE=1"]).description == "MAIL FROM:<a@b> SIZE=1")
    }
}
