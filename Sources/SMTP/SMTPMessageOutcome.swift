/// What the server said about one message, recipient by recipient, with its exact replies.
public struct SMTPMessageOutcome: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        /// The server took responsibility for this recipient (250 to RCPT and 250 after DATA).
        case accepted
        /// 4xx, or the connection failed with a 421: try again later or elsewhere.
        case transient
        /// 5xx: do not retry; a bounce for this recipient.
        case permanent
    }

    public struct Recipient: Sendable, Hashable {
        public let address: String
        public let status: Status
        /// The reply that decided `status`: the RCPT reply when it failed, else the DATA end reply
        /// (or the MAIL/DATA reply that failed the whole message).
        public let reply: SMTPReply
    }

    public let recipients: [Recipient]
    /// The reply to MAIL FROM.
    public let mailReply: SMTPReply
    /// The reply after the message data (`.`), when the data was sent.
    public let dataReply: SMTPReply?

    /// True only when the server answered 2xx after the message data.
    public var isDelivered: Bool { dataReply?.isSuccess == true && recipients.contains { $0.status == .accepted } }

    public var accepted: [Recipient] { recipients.filter { $0.status == .accepted } }
    public var transientFailures: [Recipient] { recipients.filter { $0.status == .transient } }
    public var permanentFailures: [Recipient] { recipients.filter { $0.status == .permanent } }
}

extension SMTPMessageOutcome.Status {
    init(_ reply: SMTPReply) {
        switch reply.kind {
        case .success: self = .accepted
        // A 3xx where a final reply belongs is a server bug: retrying is safer than bouncing.
        case .transient, .intermediate: self = .transient
        case .permanent: self = .permanent
        }
    }
}
