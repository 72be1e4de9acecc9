import NIOCore

/// A command line the client sends. `description` hides AUTH secrets so commands can be logged.
public enum SMTPCommand: Sendable, Hashable, CustomStringConvertible {
    case ehlo(String)
    case helo(String)
    case startTLS
    /// `AUTH <mechanism> [initial response]`; the response is already base64.
    case auth(mechanism: String, initialResponse: String?)
    /// A base64 line answering a 334 challenge.
    case authResponse(String)
    /// Address without brackets ("" is the null path) and ESMTP parameters (`SIZE=123`).
    case mailFrom(String, parameters: [String])
    case rcptTo(String, parameters: [String])
    case data
    case rset
    case noop
    case quit

    public func write(into buffer: inout ByteBuffer) {
        switch self {
        case .ehlo(let name): buffer.writeStaticString("EHLO "); buffer.writeString(name)
        case .helo(let name): buffer.writeStaticString("HELO "); buffer.writeString(name)
        case .startTLS: buffer.writeStaticString("STARTTLS")
        case .auth(let mechanism, let initial):
            buffer.writeStaticString("AUTH ")
            buffer.writeString(mechanism)
            if let initial { buffer.writeStaticString(" "); buffer.writeString(initial) }
        case .authResponse(let line): buffer.writeString(line)
        case .mailFrom(let address, let parameters):
            buffer.writeStaticString("MAIL FROM:<")
            buffer.writeString(address)
            buffer.writeStaticString(">")
            Self.write(parameters, into: &buffer)
        case .rcptTo(let address, let parameters):
            buffer.writeStaticString("RCPT TO:<")
            buffer.writeString(address)
            buffer.writeStaticString(">")
            Self.write(parameters, into: &buffer)
        case .data: buffer.writeStaticString("DATA")
        case .rset: buffer.writeStaticString("RSET")
        case .noop: buffer.writeStaticString("NOOP")
        case .quit: buffer.writeStaticString("QUIT")
        }
        buffer.writeStaticString("\r\n")
    }

    private static func write(_ parameters: [String], into buffer: inout ByteBuffer) {
        for parameter in parameters {
            buffer.writeStaticString(" ")
            buffer.writeString(parameter)
        }
    }

    public var description: String {
        switch self {
        case .auth(let mechanism, let initial): return "AUTH \(mechanism)\(initial == nil ? "" : " ***")"
        case .authResponse: return "***"
        default:
            var buffer = ByteBuffer()
            write(into: &buffer)
            return String(buffer.readString(length: buffer.readableBytes - 2) ?? "")
        }
    }
}
