import NIOCore

/// One message for `SMTPConnection.send(_:)`: its envelope and its RFC 5322 text (CRLF or LF
/// line ends, not dot-stuffed).
public struct SMTPOutgoingMessage: Sendable {
    public var envelope: SMTPEnvelope
    public var message: ByteBuffer

    public init(envelope: SMTPEnvelope, message: ByteBuffer) {
        self.envelope = envelope
        self.message = message
    }

    public init(envelope: SMTPEnvelope, message: [UInt8]) {
        self.init(envelope: envelope, message: ByteBuffer(bytes: message))
    }
}
