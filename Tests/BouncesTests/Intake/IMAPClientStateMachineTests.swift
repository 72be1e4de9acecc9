import Foundation
import Testing
@testable import Bounces

@Suite struct IMAPClientStateMachineTests {
    private func greeted(_ greeting: String = "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n") throws -> IMAPClientStateMachine {
        var machine = IMAPClientStateMachine()
        let events = try machine.receive(Array(greeting.utf8))
        guard case .greeting = events.first else { Issue.record("no greeting: \(events)"); return machine }
        return machine
    }

    @Test func nothingIsSentBeforeTheGreeting() {
        var machine = IMAPClientStateMachine()
        #expect(throws: IMAPClientStateMachine.Error.self) { try machine.send(.capability) }
    }

    @Test func greetingCapabilitiesAreKnownAndDroppedAfterTLS() throws {
        var machine = try greeted()
        #expect(machine.capabilities.contains("STARTTLS"))
        machine.tlsStarted()
        #expect(machine.capabilities.isEmpty)
    }

    @Test func untaggedResponsesBelongToTheirCommand() throws {
        var machine = try greeted()
        #expect(try machine.send(.select("INBOX")) == Array("F1 SELECT \"INBOX\"\r\n".utf8))
        #expect(!machine.isReady)
        #expect(throws: IMAPClientStateMachine.Error.self) { try machine.send(.noop) }
        let events = try machine.receive(Array(
            "* 4 EXISTS\r\n* OK [UIDVALIDITY 1700000001] UIDs valid\r\nF1 OK [READ-WRITE] Select completed.\r\n".utf8))
        #expect(events == [.completed(IMAPCompletion(
            command: "SELECT",
            status: IMAPStatusResponse(status: .ok, code: "READ-WRITE", text: "Select completed."),
            untagged: [.exists(4), .status(IMAPStatusResponse(status: .ok, code: "UIDVALIDITY 1700000001", text: "UIDs valid"))]))])
        #expect(machine.isReady)
    }

    /// A password with a quote and non-ASCII goes as a literal: the rest waits for the server's "+".
    @Test func loginWithLiteralWaitsForContinuation() throws {
        var machine = try greeted()
        let first = try machine.send(.login(user: "bounces", password: "pä\"ss"))
        #expect(first == Array("F1 LOGIN \"bounces\" {6}\r\n".utf8))
        let events = try machine.receive(Array("+ OK\r\n".utf8))
        #expect(events == [.send(Array("pä\"ss\r\n".utf8))])
        let done = try machine.receive(Array("F1 OK [CAPABILITY IMAP4rev1 MOVE UIDPLUS] Logged in\r\n".utf8))
        guard case .completed(let completion) = done.first else { Issue.record("\(done)"); return }
        #expect(completion.isOK)
        #expect(machine.capabilities == ["IMAP4REV1", "MOVE", "UIDPLUS"])
    }

    @Test func authenticatePlainSendsTheSASLAnswerAfterContinuation() throws {
        var machine = try greeted()
        #expect(try machine.send(.authenticatePlain(user: "u", password: "p")) == Array("F1 AUTHENTICATE PLAIN\r\n".utf8))
        let events = try machine.receive(Array("+ \r\n".utf8))
        let expected = Data([0, UInt8(ascii: "u"), 0, UInt8(ascii: "p")]).base64EncodedString()
        #expect(events == [.send(Array("\(expected)\r\n".utf8))])
    }

    @Test func aContinuationNobodyAskedForIsAnError() throws {
        var machine = try greeted()
        _ = try machine.send(.noop)
        #expect(throws: IMAPClientStateMachine.Error.self) { try machine.receive(Array("+ go on\r\n".utf8)) }
    }

    @Test func aTagThatIsNotOursIsAnError() throws {
        var machine = try greeted()
        _ = try machine.send(.noop)
        #expect(throws: IMAPClientStateMachine.Error.self) { try machine.receive(Array("X9 OK done\r\n".utf8)) }
    }

    @Test func byeIsReported() throws {
        var machine = try greeted()
        _ = try machine.send(.logout)
        let events = try machine.receive(Array("* BYE Logging out\r\nF1 OK Logout completed.\r\n".utf8))
        #expect(events.first == .bye("Logging out"))
        #expect(events.count == 2)
    }

    @Test func commandsEncodeUIDSetsAndFolders() {
        #expect(IMAPCommand.set([7, 1, 2, 3, 9, 8, 20]) == "1:3,7:9,20")
        #expect(IMAPCommand.uidFetchBodies([5, 6]).parts(tag: "F2") == [Array("F2 UID FETCH 5:6 (UID BODY.PEEK[])\r\n".utf8)])
        #expect(IMAPCommand.uidStore([3], flags: ["\\Deleted"]).parts(tag: "F3") == [Array("F3 UID STORE 3 +FLAGS.SILENT (\\Deleted)\r\n".utf8)])
        #expect(IMAPCommand.uidMove([3], to: "Processed \"x\"").parts(tag: "F4") == [Array("F4 UID MOVE 3 \"Processed \\\"x\\\"\"\r\n".utf8)])
        #expect(IMAPCommand.uidExpunge([3, 4]).parts(tag: "F5") == [Array("F5 UID EXPUNGE 3:4\r\n".utf8)])
    }
}
