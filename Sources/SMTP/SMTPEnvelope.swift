/// Who a message is from and to, as given to MAIL FROM and RCPT TO (addresses without brackets;
/// an empty `mailFrom` is the null reverse-path `<>`).
public struct SMTPEnvelope: Sendable, Hashable {
    public var mailFrom: String
    public var recipients: [String]
    /// Delivery status notification requests (RFC 3461), sent only when the server offers DSN.
    public var dsn: SMTPDSNOptions?

    public init(mailFrom: String, recipients: [String], dsn: SMTPDSNOptions? = nil) {
        self.mailFrom = mailFrom
        self.recipients = recipients
        self.dsn = dsn
    }

    /// True when an address needs SMTPUTF8 (RFC 6531).
    var needsSMTPUTF8: Bool {
        mailFrom.utf8.contains { $0 >= 0x80 } || recipients.contains { $0.utf8.contains { $0 >= 0x80 } }
    }
}

/// RFC 3461 parameters.
public struct SMTPDSNOptions: Sendable, Hashable {
    public enum Return: String, Sendable, Hashable {
        case full = "FULL"
        case headers = "HDRS"
    }

    public enum Notify: String, Sendable, Hashable {
        case success = "SUCCESS"
        case failure = "FAILURE"
        case delay = "DELAY"
    }

    /// `RET=` on MAIL FROM.
    public var ret: Return?
    /// `ENVID=` on MAIL FROM (xtext-encoded on the wire); PHPList-side ids fit here.
    public var envelopeID: String?
    /// `NOTIFY=` on each RCPT TO; an empty set sends `NOTIFY=NEVER`, nil sends nothing.
    public var notify: Set<Notify>?

    public init(ret: Return? = nil, envelopeID: String? = nil, notify: Set<Notify>? = nil) {
        self.ret = ret
        self.envelopeID = envelopeID
        self.notify = notify
    }
}
