/// Spaces sends at a changing rate: tokens arrive at `rate` per second, at most `burst` saved up.
public struct TokenPacer: Sendable, Equatable {
    /// Seconds of sending a pacer may save up: small, so a rate cut takes effect at once.
    public static let burstSeconds = 0.05
    private var tokens = 0.0
    private var updatedAt: Double?

    public init() {}

    private static func burst(_ rate: Double) -> Double { max(1, rate * burstSeconds) }

    private mutating func refill(rate: Double, at now: Double) {
        guard rate.isFinite else { tokens = 1; updatedAt = now; return }
        if let updatedAt {
            if now > updatedAt { tokens += (now - updatedAt) * rate }
        } else {
            tokens = Self.burst(rate) // a new pacer may send its burst at once
        }
        tokens = min(tokens, Self.burst(rate))
        updatedAt = max(updatedAt ?? now, now)
    }

    /// When the next send is allowed: `now` when a token is there.
    public mutating func nextAllowed(rate: Double, at now: Double) -> Double {
        refill(rate: rate, at: now)
        if tokens >= 1 || !rate.isFinite { return now }
        guard rate > 0 else { return .infinity }
        return now + (1 - tokens) / rate
    }

    /// Takes a token; call only when `nextAllowed` returned `now`.
    public mutating func take(rate: Double, at now: Double) {
        refill(rate: rate, at: now)
        if rate.isFinite { tokens -= 1 }
    }
}
