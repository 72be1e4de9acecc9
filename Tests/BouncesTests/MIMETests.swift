import Testing
@testable import Bounces

@Suite struct MIMETests {
    static let nested = """
    From: a@example.org
    Content-Type: multipart/mixed; boundary="outer"

    preamble
    --outer
    Content-Type: multipart/alternative; boundary=inner

    --inner
    Content-Type: text/plain; charset=iso-8859-1
    Content-Transfer-Encoding: quoted-printable

    caf=E9 au lait=
     soft break
    --inner
    Content-Type: text/html; charset=utf-8
    Content-Transfer-Encoding: base64

    PHA+aMOpPC9wPg==
    --inner--
    --outer
    Content-Type: message/rfc822

    Message-ID: <orig@example.org>
    X-MessageId: 42

    original body
    --outer--
    epilogue
    """

    @Test func parsesNestedMultipartWithEncodings() throws {
        let message = BounceMessage(bytes: Array(Self.nested.utf8))
        #expect(message.parts.count == 2)
        let alternative = try #require(message.parts.first)
        #expect(alternative.parts.count == 2)
        #expect(alternative.parts[0].text == "café au lait soft break")
        #expect(alternative.parts[1].text == "<p>hé</p>")
        let enclosed = try #require(message.parts.last?.parts.first)
        #expect(enclosed.headers["X-MessageId"] == "42")
        #expect(String(decoding: enclosed.body, as: UTF8.self) == "original body")
    }

    @Test func crlfAndLFInputGiveTheSameStructure() {
        let lf = BounceMessage(bytes: Array(Self.nested.utf8))
        let crlf = BounceMessage(bytes: Array(Self.nested.replacingOccurrences("\n", "\r\n").utf8))
        #expect(crlf.parts.count == lf.parts.count)
        #expect(crlf.parts[0].parts[0].text.replacingOccurrences("\r\n", "\n") == lf.parts[0].parts[0].text)
        #expect(crlf.parts[1].parts[0].headers["Message-ID"] == "<orig@example.org>")
    }

    @Test func missingCloseDelimiterKeepsLastPart() {
        let text = "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n--b\n\nsecond, never closed\n"
        let message = BounceMessage(bytes: Array(text.utf8))
        #expect(message.parts.map(\.text) == ["first", "second, never closed\n"])
    }

    @Test func base64IgnoresGarbageAndQuotedPrintableKeepsStrayEquals() {
        #expect(TransferDecoding.base64(Array("aGVs\n bG8*=".utf8)) == Array("hello".utf8))
        #expect(TransferDecoding.quotedPrintable(Array("a=ZZb=3D".utf8), underscoreIsSpace: false) == Array("a=ZZb=".utf8))
    }

    @Test func mboxIsSplitOnFromLines() {
        let mbox = "From a Mon\nSubject: one\n\nx\nFrom b Tue\nSubject: two\n\ny\n"
        let messages = MboxReader.messages(in: Array(mbox.utf8)).map { BounceMessage(bytes: $0).headers["Subject"] }
        #expect(messages == ["one", "two"])
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        replacing(target, with: replacement)
    }
}
