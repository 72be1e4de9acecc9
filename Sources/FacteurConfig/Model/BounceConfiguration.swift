/// `bounces.*`: where bounces are fetched or received and how they are judged.
public struct BounceConfiguration: Sendable, Equatable {
    public var mailboxes: [MailboxConfiguration] = []
    /// Key that signs VERP addresses; required when `compose.verp` is on.
    public var verpSecret = ""
    public var policy = BouncePolicy.facteur
    /// Inbound SMTP listener for bounces ("host:port"); empty = none.
    public var listen = ""
    /// Domains the listener accepts bounces for.
    public var domains: [String] = []
    /// Largest bounce message accepted, in bytes.
    public var maxSize = 52_428_800
    /// Per-reason actions of the `facteur` policy, over its defaults.
    public var reasonOverrides: [BounceReasonOverride] = []

    public init() {}
}

/// One `bounces.mailboxes[]` entry.
public struct MailboxConfiguration: Sendable, Equatable {
    /// imap://, imaps://, pop3://, pop3s://, mbox:///path or maildir:///path.
    public var url = ""
    /// For imap:// and pop3://: whether to upgrade with STARTTLS.
    public var starttls = StartTLSPolicy.opportunistic
    public var tlsVerify = true

    public init(url: String = "") {
        self.url = url
    }

    /// The parsed URL, or why it cannot be parsed.
    public var parsedURL: Result<ServiceURL, ServiceURL.ParseError> {
        Result { () throws(ServiceURL.ParseError) in try ServiceURL(parsing: url) }
    }
}

/// One `bounces.reason_overrides[]` entry: what the `facteur` policy does with bounces of one reason.
public struct BounceReasonOverride: Sendable, Equatable {
    /// A reason of Sisimai's vocabulary as `facteur bounces classify` prints it, e.g. `mailboxfull`.
    public var reason = ""
    public var action = BounceOverrideAction.count

    public init(reason: String = "", action: BounceOverrideAction = .count) {
        self.reason = reason
        self.action = action
    }
}

/// `bounces.reason_overrides[].action`.
public enum BounceOverrideAction: String, Sendable, CaseIterable {
    /// Counted as PHPList counts it (toward `$bounce_unsubscribe_threshold`).
    case count
    /// Counted, and the subscriber unconfirmed at once.
    case unconfirm
    /// Counted, and the subscriber blacklisted at once.
    case blacklist
    /// Stored, not counted.
    case ignore
}
