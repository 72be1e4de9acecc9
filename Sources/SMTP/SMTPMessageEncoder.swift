import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Copies an RFC 5322 message into the DATA stream in one pass: every line end (CRLF, bare LF or
/// bare CR) becomes CRLF, lines starting with "." get a second ".", and ".\r\n" ends it
/// (RFC 5321 §4.5.2). Lines over 998 octets are refused before a byte is sent.
public struct SMTPMessageEncoder: Sendable {
    public enum Error: Swift.Error, Sendable, Hashable {
        case lineTooLong(line: Int, length: Int)
    }

    /// The encoded DATA stream and what MAIL FROM needs to know about it.
    public struct Encoded: Sendable {
        public var bytes: ByteBuffer
        /// Some octet is over 127: send `BODY=8BITMIME` when the server offers it.
        public var has8BitData: Bool
        /// The size on the wire with CRLF line ends (dot-stuffing included, terminator not), for
        /// `SIZE=`: RFC 1870 prefers a slight overestimate to an underestimate.
        public var messageSize: Int
    }

    public static let maximumLineLength = 998

    public static func encode(_ message: ByteBuffer, allocator: ByteBufferAllocator = ByteBufferAllocator()) throws(Error) -> Encoded {
        let result: Result<Encoded, Error> = message.withUnsafeReadableBytes { raw in
            Result { () throws(Error) in try encode(raw, allocator: allocator) }
        }
        return try result.get()
    }

    public static func encode(_ message: [UInt8], allocator: ByteBufferAllocator = ByteBufferAllocator()) throws(Error) -> Encoded {
        let result: Result<Encoded, Error> = message.withUnsafeBytes { raw in
            Result { () throws(Error) in try encode(raw, allocator: allocator) }
        }
        return try result.get()
    }

    static func encode(_ input: UnsafeRawBufferPointer, allocator: ByteBufferAllocator) throws(Error) -> Encoded {
        let count = input.count
        // Most messages gain only a CR per line when their lines end in LF; 1/16 covers lines of
        // 16 octets or more without a reallocation, and ByteBuffer grows if ever needed.
        var out = allocator.buffer(capacity: count + count / 16 + 8)
        var lineNumber = 0
        var start = 0
        let crlf: StaticString = "\r\n"
        let base = input.baseAddress
        while start < count {
            lineNumber += 1
            // Next line end: LF, or a CR (CRLF or bare CR).
            var end = start
            var next = count
            if let base {
                let remaining = count - start
                let lf = memchr(base + start, 0x0A, remaining)
                let lfIndex = lf.map { base.distance(to: UnsafeRawPointer($0)) } ?? count
                let crSearch = lfIndex - start
                let cr = crSearch > 0 ? memchr(base + start, 0x0D, crSearch) : nil
                if let cr {
                    end = base.distance(to: UnsafeRawPointer(cr))
                    next = (end + 1 < count && input[end + 1] == 0x0A) ? end + 2 : end + 1
                } else {
                    end = lfIndex
                    next = lfIndex < count ? lfIndex + 1 : count
                }
            }
            let length = end - start
            if length > maximumLineLength { throw .lineTooLong(line: lineNumber, length: length) }
            if length > 0, input[start] == UInt8(ascii: ".") { out.writeInteger(UInt8(ascii: ".")) }
            if length > 0 { out.writeBytes(UnsafeRawBufferPointer(rebasing: input[start..<end])) }
            out.writeStaticString(crlf)
            start = next
        }
        let size = out.readableBytes
        out.writeStaticString(".\r\n")
        return Encoded(bytes: out, has8BitData: has8Bit(input), messageSize: size)
    }

    /// Eight bytes at a time: an octet over 127 has its high bit set.
    private static func has8Bit(_ input: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = input.count
        while index + 8 <= count {
            if input.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return true }
            index += 8
        }
        while index < count {
            if input[index] >= 0x80 { return true }
            index += 1
        }
        return false
    }
}
