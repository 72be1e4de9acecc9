import NIOCore
import SMTP
import Testing

@Suite struct SMTPReplyParserTests {
    private func replies(_ chunks: [String]) throws -> [SMTPReply] {
        var parser = SMTPReplyParser()
        var out: [SMTPReply] = []
        for chunk in chunks {
            parser.append(ByteBuffer(string: chunk))
            while let reply = try parser.next() { out.append(reply) }
        }
        return out
    }

    @Test func multiLineGreetingIsOneReply() throws {
        let got = try replies(["220-mx.example.org ESMTP\r\n220-no UCE\r\n220 ready\r\n"])
        #expect(got == [SMTPReply(code: 220, lines: ["mx.example.org ESMTP", "no UCE", "ready"])])
    }

    @Test func replySplitAcrossReadsAnywhere() throws {
        let text = "250-mx.example.org\r\n250-PIPELINING\r\n250 8BITMIME\r\n"
        let whole = try replies([text])
        for cut in 1..<text.utf8.count {
            let bytes = Array(text.utf8)
            let got = try replies([String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self)])
            #expect(got == whole, "cut at \(cut)")
        }
    }

    @Test func pipelinedRepliesInOneRead() throws {
        let got = try replies(["250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <x@y>: unknown\r\n354 go\r\n"])
        #expect(got.map(\.code) == [250, 250, 550, 354])
        #expect(got[2].enhancedStatus == EnhancedStatus(statusClass: 5, subject: 1, detail: 1))
        #expect(got[2].kind == .permanent)
        #expect(got[2].text == "<x@y>: unknown")
    }

    @Test func bareLFAndCodeOnlyLinesAreAccepted() throws {
        let got = try replies(["250\n221 bye\n"])
        #expect(got.map(\.code) == [250, 221])
        #expect(got[0].lines == [""])
    }

    @Test func classifiesReplies() throws {
        let got = try replies(["250 ok\r\n354 go\r\n451 4.7.1 later\r\n554 no\r\n"])
        #expect(got.map(\.kind) == [.success, .intermediate, .transient, .permanent])
        #expect(got[2].enhancedStatus?.description == "4.7.1")
        #expect(got[3].enhancedStatus == nil)
    }

    @Test func enhancedStatusMustMatchReplyClass() throws {
        let got = try replies(["451 5.7.1 mismatched\r\n"])
        #expect(got[0].enhancedStatus == nil)
        #expect(got[0].text == "5.7.1 mismatched")
    }

    @Test func rejectsGarbageAndMixedCodes() {
        #expect(throws: SMTPReplyParser.Error.self) { try replies(["HTTP/1.1 400 Bad Request\r\n"]) }
        #expect(throws: SMTPReplyParser.Error.self) { try replies(["250-a\r\n251 b\r\n"]) }
        #expect(throws: SMTPReplyParser.Error.lineTooLong(4096)) { try replies([String(repeating: "2", count: 5000)]) }
    }

    @Test func reportsUnfinishedBytes() throws {
        var parser = SMTPReplyParser()
        parser.append(ByteBuffer(string: "220 go ahead\r\n250-inj"))
        #expect(try parser.next()?.code == 220)
        #expect(parser.hasBufferedBytes)
    }
}
