/// `starttls:` of a relay or mailbox.
public enum StartTLSPolicy: String, Sendable, CaseIterable {
    /// Fail when the server does not offer STARTTLS.
    case required
    /// Upgrade when offered, stay in clear text otherwise.
    case opportunistic
    /// Never upgrade.
    case off
}

/// `bounces.policy`: which rules turn bounces into subscriber state.
public enum BouncePolicy: String, Sendable, CaseIterable {
    /// Facteur's own: hard/soft classification from DSN status codes.
    case facteur
    /// PHPList's: every bounce counts towards `$bounce_unsubscribe_threshold`.
    case phplist
}

/// `logging.level`, swift-log's levels.
public enum LogLevel: String, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}
