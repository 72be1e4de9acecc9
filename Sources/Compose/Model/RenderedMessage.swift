/// One composed message, ready for SMTP.
public struct RenderedMessage: Sendable {
    /// The RFC 5322 message, CRLF line ends, exactly the DATA PHPList's PHPMailer transmits (including the
    /// empty line PHPMailer's SMTP writer adds after the final boundary); not dot-stuffed.
    public var bytes: [UInt8]
    /// MAIL FROM: the message envelope (or its VERP form).
    public var envelopeSender: String
    /// RCPT TO.
    public var recipient: String
    /// Which phplist_message counter PHPList increments for this send.
    public var formatCounter: FormatCounter
    /// One entry per tracked link put in the message (text and HTML parts, every occurrence), by
    /// linktrack_forward URL: add these to phplist_linktrack_ml.total as PHPList counts them.
    public var trackedLinkURLs: [String]
    /// The Message-ID header value, with angle brackets.
    public var messageID: String
}

/// The phplist_message column PHPList bumps for a send.
public enum FormatCounter: String, Sendable, Equatable {
    case astext, ashtml, astextandhtml, aspdf, astextandpdf
}

/// A linktrack_forward entry a campaign needs: the URL PHPList files the link under and its `personalise`
/// flag (the link carried a uid=).
public struct TrackedLink: Sendable, Hashable {
    public var url: String
    public var personalise: Bool

    public init(url: String, personalise: Bool) {
        self.url = url
        self.personalise = personalise
    }
}

/// linktrack_forward uuids by URL, filled by the caller (existing rows, or rows it inserted for
/// `CompiledCampaign.trackedLinks`).
public struct LinkTrackIDs: Sendable {
    public var forwardUUIDByURL: [String: String]

    public init(forwardUUIDByURL: [String: String] = [:]) {
        self.forwardUUIDByURL = forwardUUIDByURL
    }

    public subscript(url: String) -> String? { forwardUUIDByURL[url] }
}
