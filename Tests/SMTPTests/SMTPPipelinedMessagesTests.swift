import NIOCore
@testable import SMTP
import Testing

/// With PIPELINING the next message's MAIL/RCPT/DATA leave with the previous message's data
/// (RFC 2920 §3.1): one round trip per message. These drive that from server bytes.
@Suite struct SMTPPipelinedMessagesTests {
    private let envelope = SMTPEnvelope(mailFrom: "list@example.org", recipients: ["a@example.net"])
    private var group: SMTPClientStateMachine.Action {
        .sendPipelined([.mailFrom("list@example.org", parameters: []), .rcptTo("a@example.net", parameters: []), .data])
    }

    @Test func nextMessageIsQueuedBehindTheDataAndCompletesInOrder() throws {
        var s = Session(plain)
        try s.establish(["PIPELINING"])
        let first = try encoded("first\n")
        let second = try encoded("second\n")
        #expect(s.machine.sendRequested(envelope: envelope, encoded: first) == group)
        #expect(!s.machine.acceptsMessage)
        #expect(try s.server("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n") == [.none, .none, .sendBody(first.bytes)])
        // The data is going out: the next message may follow it in the same write.
        #expect(s.machine.acceptsMessage)
        #expect(s.machine.sendRequested(envelope: envelope, encoded: second) == group)
        #expect(!s.machine.acceptsMessage)
        #expect(!s.machine.isReady)
        #expect(s.machine.stage == .dataTermination)
        // The reply to the first end of data and the second message's replies arrive together.
        let actions = try s.server("250 2.0.0 Ok: queued as A\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n")
        #expect(actions.count == 4)
        guard case .messageCompleted(let outcome, .none) = actions[0] else { Issue.record("first not completed: \(actions)"); return }
        #expect(outcome.isDelivered)
        #expect(outcome.dataReply?.text == "Ok: queued as A")
        #expect(Array(actions.dropFirst()) == [.none, .none, .sendBody(second.bytes)])
        guard case .messageCompleted(let outcome2, .none) = try s.server("250 2.0.0 Ok: queued as B\r\n").first else { Issue.record("second not completed"); return }
        #expect(outcome2.dataReply?.text == "Ok: queued as B")
        #expect(s.machine.messagesSent == 2)
        #expect(s.machine.isReady)
    }

    @Test func repliesSplitIntoSingleBytesGiveTheSameActions() throws {
        var s = Session(plain)
        try s.establish(["PIPELINING"])
        let message = try encoded("x\n")
        _ = s.machine.sendRequested(envelope: envelope, encoded: message)
        var actions: [SMTPClientStateMachine.Action] = []
        for byte in "250 2.1.0 Ok\r\n250-2.1.5 Ok\r\n250 2.1.5 (continued)\r\n354 go\r\n250 2.0.0 queued\r\n".utf8 {
            actions += try s.server(String(decoding: [byte], as: UTF8.self))
        }
        #expect(actions.count == 4)
        #expect(actions[2] == .sendBody(message.bytes))
        guard case .messageCompleted(let outcome, .none) = actions[3] else { Issue.record("not completed: \(actions)"); return }
        #expect(outcome.recipients[0].reply == SMTPReply(code: 250, lines: ["2.0.0 queued"]))
    }

    @Test func serviceClosingAfterTheDataDropsTheQueuedMessage() throws {
        var s = Session(plain)
        try s.establish(["PIPELINING"])
        _ = s.machine.sendRequested(envelope: envelope, encoded: try encoded("x\n"))
        _ = try s.server("250 ok\r\n250 ok\r\n354 go\r\n")
        #expect(s.machine.sendRequested(envelope: envelope, encoded: try encoded("y\n")) == group)
        guard case .messageCompleted(let outcome, .close) = try s.server("421 4.3.2 shutting down\r\n").first else { Issue.record("no completion"); return }
        #expect(outcome.recipients.map(\.status) == [.transient])
        #expect(!outcome.isDelivered)
        #expect(s.machine.stage == nil)
        #expect(!s.machine.isUsable)
    }

    @Test func failedDataOfTheFirstDoesNotStopTheQueuedMessage() throws {
        var s = Session(plain)
        try s.establish(["PIPELINING"])
        _ = s.machine.sendRequested(envelope: envelope, encoded: try encoded("x\n"))
        _ = try s.server("250 ok\r\n250 ok\r\n354 go\r\n")
        _ = s.machine.sendRequested(envelope: envelope, encoded: try encoded("y\n"))
        let actions = try s.server("554 5.6.0 rejected\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n")
        guard case .messageCompleted(let first, .none) = actions[0], case .messageCompleted(let second, .none) = actions[4] else {
            Issue.record("unexpected \(actions)"); return
        }
        #expect(first.recipients.map(\.status) == [.permanent])
        #expect(second.isDelivered)
    }

    @Test func connectionLostWithTwoMessagesInFlightFailsBoth() throws {
        var s = Session(plain)
        try s.establish(["PIPELINING"])
        _ = s.machine.sendRequested(envelope: envelope, encoded: try encoded("x\n"))
        _ = try s.server("250 ok\r\n250 ok\r\n354 go\r\n")
        _ = s.machine.sendRequested(envelope: envelope, encoded: try encoded("y\n"))
        #expect(s.machine.connectionFailed(.connectionClosed(stage: .dataTermination)) == .messageFailed(.connectionClosed(stage: .dataTermination), close: true))
        #expect(s.machine.stage == nil)
    }

    @Test func nothingIsQueuedWithoutPipeliningOrPastTheMessageLimit() throws {
        var s = Session(plain)
        try s.establish(["8BITMIME"])
        _ = s.machine.sendRequested(envelope: envelope, encoded: try encoded("x\n"))
        _ = try s.server("250 ok\r\n250 ok\r\n354 go\r\n")
        #expect(!s.machine.acceptsMessage)
        #expect(s.machine.sendRequested(envelope: envelope, encoded: try encoded("y\n")) == .messageFailed(.connectionNotUsable, close: false))

        var settings = plain
        settings.messagesPerConnection = 1
        var limited = Session(settings)
        try limited.establish(["PIPELINING"])
        _ = limited.machine.sendRequested(envelope: envelope, encoded: try encoded("x\n"))
        _ = try limited.server("250 ok\r\n250 ok\r\n354 go\r\n")
        #expect(!limited.machine.acceptsMessage)
        guard case .messageCompleted(_, .quit) = try limited.server("250 queued\r\n").first else { Issue.record("no QUIT at the limit"); return }
    }
}
