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
    /// Seconds between two reads of the mailboxes in `facteur run`.
    public var pollInterval = 60.0
    /// New connections one client address may open per minute on the listener (its rate limit).
    public var listenRate = 120

    public init() {}
}

/// One `bounces.mailboxes[]` entry.
public struct MailboxConfiguration: Sendable, Equatable {
    /// imap://, imaps://, pop3://, pop3s://, mbox:///path or maildir:///path.
    public var url = ""
    /// For imap:// and pop3://: whether to upgrade with STARTTLS.
    public var starttls = StartTLSPolicy.opportunistic
    public var tlsVerify = true
    /// PEM file of extra trusted CAs for imaps://, pop3s:// and STARTTLS; empty = the system's roots.
    public var tlsCAFile = ""
    /// What becomes of a message once its bounce is committed: `delete`, `keep`, `flag` (`\Seen`),
    /// `flag:KEYWORD` or `move:FOLDER`; empty = PHPList's `$bounce_mailbox_purge` (true → delete, false → keep).
    public var processed = ""
    /// The same for a bounce no subscriber or campaign matched (`unidentified bounce`); empty =
    /// `$bounce_mailbox_purge_unprocessed`.
    public var unprocessed = ""

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

/// `bounces.mailboxes[].processed` / `unprocessed` read: what happens to a message after its bounce is committed.
public enum MailboxAfterProcessing: Sendable, Equatable {
    case delete
    case keep
    case flag(String)
    case move(folder: String)

    /// `delete`, `keep`, `flag` (= `flag:\Seen`), `flag:KEYWORD` or `move:FOLDER`; nil for anything else.
    public init?(configText: String) {
        let text = configText.trimmingCharacters(in: .whitespaces)
        let lowered = text.lowercased()
        switch lowered {
        case "delete": self = .delete
        case "keep": self = .keep
        case "flag": self = .flag("\\Seen")
        default:
            if lowered.hasPrefix("flag:"), text.count > 5 {
                self = .flag(String(text.dropFirst(5)).trimmingCharacters(in: .whitespaces))
            } else if lowered.hasPrefix("move:"), text.count > 5 {
                self = .move(folder: String(text.dropFirst(5)).trimmingCharacters(in: .whitespaces))
            } else {
                return nil
            }
        }
    }

    /// The setting, or PHPList's purge flag when it is empty (true → delete, false → keep).
    public static func resolve(_ text: String, purge: Bool) -> MailboxAfterProcessing? {
        text.trimmingCharacters(in: .whitespaces).isEmpty ? (purge ? .delete : .keep) : MailboxAfterProcessing(configText: text)
    }
}
