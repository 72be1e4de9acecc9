import Testing
@testable import Bounces

@Suite struct IMAPResponseParserTests {
    private func parse(_ text: String, chunk: Int = .max) throws -> [IMAPResponse] {
        var parser = IMAPResponseParser()
        return try IntakeFixtures.inChunks(Array(text.utf8), size: min(chunk, max(1, text.utf8.count))) { bytes in
            parser.append(bytes)
            var out: [IMAPResponse] = []
            while let response = try parser.next() { out.append(response) }
            return out
        }
    }

    @Test func greetingWithCapabilityCode() throws {
        let responses = try parse("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] Dovecot ready.\r\n")
        guard case .untagged(.status(let status)) = try #require(responses.first) else { Issue.record("\(responses)"); return }
        #expect(status.status == .ok)
        #expect(status.capabilities == ["IMAP4REV1", "STARTTLS", "AUTH=PLAIN"])
        #expect(status.text == "Dovecot ready.")
    }

    @Test func taggedContinuationAndUntagged() throws {
        let responses = try parse("* 3 EXISTS\r\n+ Ready for literal\r\nF1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n* SEARCH 4 9 12\r\n")
        #expect(responses == [
            .untagged(.exists(3)),
            .continuation("Ready for literal"),
            .tagged(tag: "F1", IMAPStatusResponse(status: .no, code: "AUTHENTICATIONFAILED", text: "Authentication failed.")),
            .untagged(.search([4, 9, 12])),
        ])
    }

    /// A body literal may hold CRLFs, ")" and text that looks like responses: only its length counts.
    @Test(arguments: [1, 3, 7, 64, Int.max])
    func fetchLiteralSurvivesAnyChunking(chunk: Int) throws {
        let body = "Subject: x\r\n\r\nF1 OK fake\r\n* BYE fake\r\n)\r\n{5}\r\n"
        let text = "* 2 FETCH (UID 41 BODY[] {\(body.utf8.count)}\r\n\(body))\r\n* 3 FETCH (BODY[] {2}\r\nhi UID 42)\r\nF7 OK Fetch completed.\r\n"
        let responses = try parse(text, chunk: chunk)
        #expect(responses == [
            .untagged(.fetch(sequence: 2, uid: 41, body: Array(body.utf8))),
            .untagged(.fetch(sequence: 3, uid: 42, body: Array("hi".utf8))),
            .tagged(tag: "F7", IMAPStatusResponse(status: .ok, text: "Fetch completed.")),
        ])
    }

    @Test func incompleteLiteralWaitsForMoreBytes() throws {
        var parser = IMAPResponseParser()
        parser.append(Array("* 1 FETCH (UID 1 BODY[] {10}\r\n12345".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.hasBufferedBytes)
        parser.append(Array("67890)\r\n".utf8))
        #expect(try parser.next() == .untagged(.fetch(sequence: 1, uid: 1, body: Array("1234567890".utf8))))
        #expect(!parser.hasBufferedBytes)
    }

    @Test func garbageIsAnError() throws {
        #expect(throws: IMAPResponseParser.Error.self) { try parse("F1 MAYBE\r\n") }
        #expect(throws: IMAPResponseParser.Error.self) { try parse("nonsense\r\n") }
    }

    @Test func endlessLineIsRefused() throws {
        var parser = IMAPResponseParser()
        parser.maxLineLength = 100
        parser.append([UInt8](repeating: UInt8(ascii: "a"), count: 200))
        #expect(throws: IMAPResponseParser.Error.lineTooLong(100)) { try parser.next() }
    }
}
