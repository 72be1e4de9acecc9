import Testing
@testable import Bounces

@Suite struct POP3ClientStateMachineTests {
    private func greeted() throws -> POP3ClientStateMachine {
        var machine = POP3ClientStateMachine()
        #expect(try machine.receive(Array("+OK Dovecot ready.\r\n".utf8)) == [.greeting(POP3Reply(ok: true, text: "Dovecot ready."))])
        return machine
    }

    /// RETR's answer ends at a lone "."; lines starting with "." lose the stuffed dot; chunk
    /// boundaries anywhere (inside CRLF, inside the terminator) change nothing.
    @Test(arguments: [1, 2, 5, 17, Int.max])
    func retrUnstuffsDotsAcrossChunks(chunk: Int) throws {
        var machine = try greeted()
        #expect(try machine.send(.retr(2)) == Array("RETR 2\r\n".utf8))
        let wire = "+OK 52 octets\r\nSubject: dots\r\n\r\n..leading dot\r\n..\r\n\r\n...\r\nend\r\n.\r\n"
        let events = try IntakeFixtures.inChunks(Array(wire.utf8), size: min(chunk, wire.utf8.count)) { try machine.receive($0) }
        let body = "Subject: dots\r\n\r\n.leading dot\r\n.\r\n\r\n..\r\nend\r\n"
        #expect(events == [.completed(command: "RETR", POP3Reply(ok: true, text: "52 octets", data: Array(body.utf8)))])
        #expect(machine.isReady)
    }

    @Test func errorAnswerHasNoData() throws {
        var machine = try greeted()
        _ = try machine.send(.retr(9))
        #expect(try machine.receive(Array("-ERR There's no message 9.\r\n".utf8))
            == [.completed(command: "RETR", POP3Reply(ok: false, text: "There's no message 9."))])
    }

    @Test func uidlListsLines() throws {
        var machine = try greeted()
        _ = try machine.send(.uidl)
        let events = try machine.receive(Array("+OK\r\n1 000000016553a1e1\r\n2 000000026553a1e1\r\n.\r\n".utf8))
        guard case .completed(_, let reply) = events.first else { Issue.record("\(events)"); return }
        #expect(reply.lines == ["1 000000016553a1e1", "2 000000026553a1e1"])
    }

    @Test func singleLineCommandsDoNotWaitForADot() throws {
        var machine = try greeted()
        #expect(try machine.send(.dele(1)) == Array("DELE 1\r\n".utf8))
        #expect(try machine.receive(Array("+OK Marked to be deleted.\r\n".utf8)).count == 1)
        #expect(try machine.send(.quit) == Array("QUIT\r\n".utf8))
    }

    @Test func oneCommandAtATimeAndNoUnaskedAnswers() throws {
        var machine = try greeted()
        _ = try machine.send(.noop)
        #expect(throws: POP3ClientStateMachine.Error.self) { try machine.send(.noop) }
        _ = try machine.receive(Array("+OK\r\n".utf8))
        #expect(throws: POP3ClientStateMachine.Error.self) { try machine.receive(Array("+OK surprise\r\n".utf8)) }
    }

    @Test func garbageStatusIsAnError() {
        var machine = POP3ClientStateMachine()
        #expect(throws: POP3ClientStateMachine.Error.self) { try machine.receive(Array("220 smtp here\r\n".utf8)) }
    }

    @Test func bytesAfterSTLSAnswerAreNoticed() throws {
        var machine = try greeted()
        _ = try machine.send(.stls)
        _ = try machine.receive(Array("+OK Begin TLS negotiation now.\r\n+OK injected".utf8))
        #expect(machine.hasBufferedBytes)
    }
}
