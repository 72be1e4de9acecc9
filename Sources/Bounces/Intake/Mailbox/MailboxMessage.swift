/// One message as read from a mailbox, byte for byte.
public struct MailboxMessage: Sendable, Hashable, Identifiable {
    /// Names the message inside its mailbox until it is finished:
    /// IMAP `UIDVALIDITY:UID`, POP3 UIDL, Maildir base file name (before `:2,`), mbox `offset:SHA-256`.
    public struct ID: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public let id: ID
    /// The message as stored (RFC 5322, CRLF or LF line ends; POP3 dot-unstuffed).
    public let bytes: [UInt8]
    /// Where it came from, for logs and for the bounce's stored header: the mailbox key.
    public let receivedFrom: String

    public init(id: ID, bytes: [UInt8], receivedFrom: String) {
        self.id = id
        self.bytes = bytes
        self.receivedFrom = receivedFrom
    }
}
