import FacteurConfig

/// What the pool needs to know of one relay: its name and its configured limits.
public struct RelayDescriptor: Sendable, Equatable {
    public var name: String
    public var weight: Double
    public var maxConnections: Int
    /// Messages per second at most; 0 = no limit.
    public var maxRate: Double
    /// Messages per UTC day at most; 0 = no limit.
    public var dailyCap: Int

    public init(name: String, weight: Double = 1, maxConnections: Int = 8, maxRate: Double = 0, dailyCap: Int = 0) {
        self.name = name
        self.weight = weight
        self.maxConnections = maxConnections
        self.maxRate = maxRate
        self.dailyCap = dailyCap
    }

    public init(_ configuration: RelayConfiguration) {
        self.init(name: configuration.name, weight: Double(configuration.weight),
                  maxConnections: configuration.maxConnections, maxRate: configuration.maxRate,
                  dailyCap: configuration.dailyCap)
    }
}

/// One message handed to a relay, to give back to the pool with its outcome.
public struct RelayLease: Sendable, Hashable {
    /// Index of the relay in the pool's `relays`.
    public let relay: Int
    public let relayName: String
    public let provider: String
    public let domain: String
    /// When the message was handed over.
    public let startedAt: Double
}

/// The pool's answer to "may a message to this domain go now?".
public enum Reservation: Sendable, Equatable {
    case granted(RelayLease)
    /// Not before `until` (`.infinity`: when a message in flight finishes).
    case wait(until: Double, reason: WaitReason)
}

/// Why a message waits. The first three concern every message; the others only its provider or domain.
public enum WaitReason: String, Sendable, Equatable {
    /// Relays are at their rate, connection or daily limits.
    case relaysBusy = "relays busy"
    /// Every relay's circuit is open: the campaign pauses until one answers a probe.
    case allRelaysDown = "all relays down"
    /// MAILQUEUE_BATCH_SIZE/PERIOD or MAILQUEUE_THROTTLE.
    case phplistLimit = "PHPList queue limit"
    /// The provider's rate or concurrency.
    case providerLimit = "provider limit"
    /// DOMAIN_BATCH_SIZE/PERIOD.
    case domainLimit = "domain limit"

    /// True when no other message could go either, so looking further is pointless.
    public var blocksEveryone: Bool {
        switch self {
        case .relaysBusy, .allRelaysDown, .phplistLimit: true
        case .providerLimit, .domainLimit: false
        }
    }
}
