/// `compose.*`: how campaign messages are built.
public struct ComposeConfiguration: Sendable, Equatable {
    /// MAIL FROM of campaign mail; empty = PHPList's `$message_envelope`.
    public var envelopeSender = ""
    public var personaliseSubject = false
    /// Signed per-recipient return paths so bounces name their subscriber (needs `bounces.verp_secret`).
    public var verp = false
    /// Value of the X-phpList-version header; empty = PHPList's own "<version>".
    public var versionHeader = ""
    public var dkim = DKIMConfiguration()

    public init() {}
}

/// `compose.dkim.*`: DKIM signing, off while all three are empty.
public struct DKIMConfiguration: Sendable, Equatable {
    public var domain = ""
    public var selector = ""
    /// PEM private key (RSA or Ed25519).
    public var keyFile = ""

    public init() {}

    public var isEnabled: Bool { !domain.isEmpty || !selector.isEmpty || !keyFile.isEmpty }
}
