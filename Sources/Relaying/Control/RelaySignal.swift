import SMTP

/// What one attempt through a relay tells the controllers and the circuit breaker.
public enum RelaySignal: Sendable, Equatable {
    /// 250 after DATA: delivered. `latency` is the seconds from handing the message over to that reply.
    case delivered(latency: Double)
    /// The relay (or the provider behind it) asks us to slow down: 421 during a transaction, or a
    /// 4xx with 4.7.x or a "rate"/"try later"/"too many" text. `atRecipient` when it came to RCPT
    /// (counted as a deferral of that recipient's provider in `facteur_provider_stats`).
    case throttled(latency: Double, atRecipient: Bool)
    /// Another 4xx: the recipient is deferred (greylisting, mailbox busy); says nothing of speed.
    case deferred(latency: Double)
    /// 5xx: final for that recipient; the relay worked.
    case rejected(latency: Double)
    /// The relay could not be used: refused, timed out, 421 greeting, TLS or AUTH failure, dropped.
    case relayFailed

    /// Seconds the relay took to answer, when it answered.
    public var latency: Double? {
        switch self {
        case .delivered(let l), .throttled(let l, _), .deferred(let l), .rejected(let l): l
        case .relayFailed: nil
        }
    }
}

/// Turns SMTP replies and errors into `RelaySignal`s.
public enum RelaySignalClassifier {
    /// Phrases relays and providers use for "too fast", lower-cased.
    static let rateLimitPhrases = [
        "rate limit", "ratelimit", "rate-limit", "too many", "try later", "try again later", "throttl",
        "slow down", "too fast", "exceeded", "temporarily deferred", "unusual rate",
    ]

    /// A reply to one recipient or message (`stage` is where it came).
    public static func signal(for reply: SMTPReply, at stage: SMTPStage, latency: Double) -> RelaySignal {
        if reply.isSuccess { return .delivered(latency: latency) }
        if reply.isPermanent { return .rejected(latency: latency) }
        if isRateLimit(reply) { return .throttled(latency: latency, atRecipient: stage == .rcptTo) }
        return .deferred(latency: latency)
    }

    /// True for 421, 4.7.x, and 4xx whose text speaks of rates or trying later.
    public static func isRateLimit(_ reply: SMTPReply) -> Bool {
        guard reply.isTransient else { return false }
        if reply.code == 421 { return true }
        if let status = reply.enhancedStatus, status.statusClass == 4, status.subject == 7 { return true }
        let text = reply.text.lowercased()
        return rateLimitPhrases.contains { text.contains($0) }
    }

    /// A failed connection or session: relay trouble unless the server closed a live transaction with
    /// 421, which is a request to slow down.
    public static func signal(for error: SMTPError, latency: Double) -> RelaySignal {
        switch error.kind {
        case .serviceClosing(let reply, let stage) where stage != .greeting && stage != .connect && reply.code == 421:
            return .throttled(latency: latency, atRecipient: stage == .rcptTo)
        case .lineTooLong, .messageTooLarge, .smtpUTF8Required, .noRecipients:
            // The message's fault, not the relay's.
            return .rejected(latency: latency)
        default:
            return .relayFailed
        }
    }
}
