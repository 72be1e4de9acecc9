import NIOCore
import SMTP
import Testing

@Suite struct SMTPMessageEncoderTests {
    private func encode(_ text: String) throws -> String {
        var encoded = try SMTPMessageEncoder.encode(Array(text.utf8))
        return encoded.bytes.readString(length: encoded.bytes.readableBytes)!
    }

    @Test func normalisesEveryLineEndToCRLF() throws {
        #expect(try encode("a\nb\r\nc\rd") == "a\r\nb\r\nc\r\nd\r\n.\r\n")
        #expect(try encode("a\r\n\r\n") == "a\r\n\r\n.\r\n")
        #expect(try encode("") == ".\r\n")
    }

    @Test func stuffsLeadingDots() throws {
        #expect(try encode(".\n..x\r\nmid.dot\n.") == "..\r\n...x\r\nmid.dot\r\n..\r\n.\r\n")
    }

    @Test func byteBufferAndArrayGiveTheSameBytes() throws {
        let text = "Subject: x\n\n.hello\r\n" + String(repeating: "y", count: 900) + "\nend"
        var buffer = ByteBuffer(string: "ignored-prefix")
        buffer.moveReaderIndex(forwardBy: 14)
        buffer.writeString(text)
        let fromBuffer = try SMTPMessageEncoder.encode(buffer)
        let fromArray = try SMTPMessageEncoder.encode(Array(text.utf8))
        #expect(fromBuffer.bytes == fromArray.bytes)
        #expect(fromArray.bytes.readableBytes == text.utf8.count + 3 + 1 + 5)
    }

    @Test func refusesLinesOver998OctetsWithTheLineNumber() {
        let ok = String(repeating: "x", count: 998)
        #expect(throws: Never.self) { try SMTPMessageEncoder.encode(Array("a\n\(ok)\n".utf8)) }
        #expect(throws: SMTPMessageEncoder.Error.lineTooLong(line: 3, length: 999)) {
            try SMTPMessageEncoder.encode(Array("a\r\nb\r\n\(ok)x\r\n".utf8))
        }
    }

    @Test func detects8BitDataAndReportsSize() throws {
        let plain = try SMTPMessageEncoder.encode(Array("hello world, plain ascii\n".utf8))
        #expect(!plain.has8BitData)
        #expect(plain.messageSize == 26)
        #expect(try SMTPMessageEncoder.encode(Array("héllo".utf8)).has8BitData)
        #expect(try SMTPMessageEncoder.encode(Array("0123456789abcdef é".utf8)).has8BitData)
    }
}
