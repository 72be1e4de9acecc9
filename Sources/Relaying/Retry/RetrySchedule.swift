import FacteurConfig

/// When a transiently refused message is tried again: exponential back-off with jitter per message,
/// pushed further when its whole domain keeps deferring, until `maxAge` after the first attempt.
public struct RetrySchedule: Sendable, Equatable {
    public var maxAge: Double
    public var initialDelay: Double
    public var maxDelay: Double
    public var jitter: Double

    public init(maxAge: Double = 14_400, initialDelay: Double = 60, maxDelay: Double = 3_600, jitter: Double = 0.2) {
        self.maxAge = maxAge
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    public init(_ configuration: RetryConfiguration) {
        self.init(maxAge: Double(configuration.maxAge), initialDelay: Double(configuration.initialDelay),
                  maxDelay: Double(configuration.maxDelay), jitter: configuration.jitter)
    }

    public enum Decision: Sendable, Equatable {
        case retry(at: Double)
        /// `maxAge` would be exceeded: record a permanent failure.
        case giveUp
    }

    /// The wait after the `attempts`-th failed attempt (1 = the first), before jitter.
    public func baseDelay(afterAttempt attempts: Int) -> Double {
        let doublings = Double(max(0, attempts - 1))
        return min(maxDelay, initialDelay * pow2(doublings))
    }

    /// `unit` is a random number in 0..<1 (from the caller's generator, so tests replay).
    public func delay(afterAttempt attempts: Int, unit: Double) -> Double {
        baseDelay(afterAttempt: attempts) * (1 + jitter * (2 * unit - 1))
    }

    /// What to do after the `attempts`-th failure of a message first tried at `firstAttempt`;
    /// `domainPausedUntil` delays it further when its domain is backing off.
    public func decide(attempts: Int, firstAttempt: Double, now: Double, domainPausedUntil: Double? = nil,
                       using generator: inout some RandomNumberGenerator) -> Decision {
        var at = now + delay(afterAttempt: attempts, unit: Double.random(in: 0..<1, using: &generator))
        if let domainPausedUntil { at = max(at, domainPausedUntil) }
        return at >= firstAttempt + maxAge ? .giveUp : .retry(at: at)
    }

    private func pow2(_ exponent: Double) -> Double {
        exponent > 60 ? .infinity : Double(1 << Int(exponent))
    }
}

/// Domains that keep deferring: each deferral in a row doubles the pause of the whole domain (from a
/// quarter of the first retry delay), a delivery ends it. Messages to a paused domain are not tried,
/// so a domain that is greylisting or overloaded is not hammered by every queued message.
public struct DomainBackoff: Sendable, Equatable {
    public let schedule: RetrySchedule
    private var domains: [String: (deferrals: Int, until: Double)] = [:]

    public init(schedule: RetrySchedule) { self.schedule = schedule }

    /// Notes a deferral; returns until when the domain is paused.
    @discardableResult
    public mutating func recordDeferral(domain: String, at now: Double, unit: Double) -> Double {
        let deferrals = (domains[domain]?.deferrals ?? 0) + 1
        let pause = schedule.delay(afterAttempt: deferrals, unit: unit) / 4
        let until = max(domains[domain]?.until ?? now, now + pause)
        domains[domain] = (deferrals, until)
        return until
    }

    public mutating func recordDelivery(domain: String) {
        domains[domain] = nil
    }

    /// Until when `domain` is paused, or nil.
    public func pausedUntil(domain: String, at now: Double) -> Double? {
        guard let entry = domains[domain], entry.until > now else { return nil }
        return entry.until
    }

    public static func == (lhs: DomainBackoff, rhs: DomainBackoff) -> Bool { lhs.schedule == rhs.schedule }
}
