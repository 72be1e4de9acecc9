import NIOCore

/// Turns the bytes a server sends into `SMTPReply` values, whatever the TCP segmentation:
/// a reply split across reads, several pipelined replies in one read, bare LF line ends.
public struct SMTPReplyParser: Sendable {
    public enum Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// A line that does not start with three digits and a space, a hyphen or its end.
        case malformedLine(String)
        /// A continuation line whose code differs from the first line of its reply.
        case inconsistentCode(expected: Int, line: String)
        /// More than `maximumLineLength` bytes without a line end: not an SMTP server.
        case lineTooLong(Int)

        public var description: String {
            switch self {
            case .malformedLine(let line): "malformed reply line \"\(line.prefix(80))\""
            case .inconsistentCode(let expected, let line): "reply line \"\(line.prefix(80))\" does not continue reply \(expected)"
            case .lineTooLong(let length): "reply line longer than \(length) bytes"
            }
        }
    }

    /// RFC 5321 allows 512 octets per reply line; real servers sometimes exceed it a little.
    public let maximumLineLength: Int
    private var buffer = ByteBuffer()
    private var pendingCode: Int?
    private var pendingLines: [String] = []

    public init(maximumLineLength: Int = 4096) {
        self.maximumLineLength = maximumLineLength
    }

    /// True when bytes of an unfinished reply are held (used to refuse data pipelined after a 220
    /// to STARTTLS, which an attacker could have injected before TLS).
    public var hasBufferedBytes: Bool { buffer.readableBytes > 0 || pendingCode != nil }

    public mutating func append(_ bytes: ByteBuffer) {
        if buffer.readableBytes == 0 {
            buffer = bytes
        } else {
            var bytes = bytes
            buffer.writeBuffer(&bytes)
        }
    }

    /// The next complete reply, or nil when more bytes are needed.
    public mutating func next() throws(Error) -> SMTPReply? {
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let lineLength = newline - buffer.readerIndex
            var end = lineLength
            if end > 0, buffer.getInteger(at: newline - 1, as: UInt8.self) == UInt8(ascii: "\r") { end -= 1 }
            let line = buffer.getSlice(at: buffer.readerIndex, length: end)!
            buffer.moveReaderIndex(forwardBy: lineLength + 1)
            if let reply = try consume(line) {
                compactIfNeeded()
                return reply
            }
        }
        if buffer.readableBytes > maximumLineLength { throw .lineTooLong(maximumLineLength) }
        compactIfNeeded()
        return nil
    }

    private mutating func compactIfNeeded() {
        if buffer.readableBytes == 0 {
            buffer.clear()
        } else if buffer.readerIndex > 16_384 {
            buffer.discardReadBytes()
        }
    }

    private mutating func consume(_ line: ByteBuffer) throws(Error) -> SMTPReply? {
        let view = line.readableBytesView
        guard view.count >= 3, view.prefix(3).allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .malformedLine(String(decoding: view, as: UTF8.self))
        }
        let code = view.prefix(3).reduce(0) { $0 * 10 + Int($1 - 0x30) }
        let separator: UInt8? = view.count > 3 ? view[view.startIndex + 3] : nil
        guard separator == nil || separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw .malformedLine(String(decoding: view, as: UTF8.self))
        }
        let text = view.count > 4 ? String(decoding: view.dropFirst(4), as: UTF8.self) : ""
        if let pendingCode, pendingCode != code {
            throw .inconsistentCode(expected: pendingCode, line: String(decoding: view, as: UTF8.self))
        }
        if separator == UInt8(ascii: "-") {
            pendingCode = code
            pendingLines.append(text)
            return nil
        }
        defer { pendingCode = nil; pendingLines.removeAll(keepingCapacity: true) }
        if pendingLines.isEmpty { return SMTPReply(code: code, lines: [text]) }
        return SMTPReply(code: code, lines: pendingLines + [text])
    }
}
