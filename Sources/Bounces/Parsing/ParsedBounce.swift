/// What a bounce message says, independent of how it reached us.
public struct ParsedBounce: Sendable {
    public enum Kind: String, Sendable {
        /// RFC 3464 delivery status notification (failure, delay or success).
        case dsn
        /// RFC 5965 abuse / feedback-loop report.
        case feedback
        /// RFC 3834 automatic reply (vacation, out of office).
        case autoReply
        /// An ordinary message.
        case nonBounce
        /// A bounce in an MTA's own plain-text format.
        case mtaText
        /// Could not be understood.
        case undefined
    }

    public var kind: Kind
    public var recipients: [BouncedRecipient]
    /// Headers of the returned original message (X-MessageId, X-ListMember, Message-ID, To…), empty if not returned.
    public var originalHeaders: MessageHeaders
    public var originalMessageID: String?
    /// Headers of the bounce itself.
    public var headers: MessageHeaders
    public var subject: String?
    public var date: String?

    public init(kind: Kind, recipients: [BouncedRecipient] = [], originalHeaders: MessageHeaders = MessageHeaders(),
                originalMessageID: String? = nil, headers: MessageHeaders = MessageHeaders(),
                subject: String? = nil, date: String? = nil) {
        self.kind = kind
        self.recipients = recipients
        self.originalHeaders = originalHeaders
        self.originalMessageID = originalMessageID
        self.headers = headers
        self.subject = subject
        self.date = date
    }
}
