/// Whether a relay may be used: closed (in use) → open (out, after it failed to connect, timed out,
/// answered 421 to the greeting or failed TLS/AUTH) → half-open (one probe after a back-off) →
/// closed when the probe works, open again with a doubled back-off when it does not.
public struct CircuitBreaker: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        case closed, open, halfOpen = "half-open"
    }

    public struct Settings: Sendable, Equatable {
        /// Consecutive relay failures, with no success between, that open the circuit.
        public var failureThreshold: Int
        public var initialBackoff: Double
        public var maxBackoff: Double

        public init(failureThreshold: Int = 3, initialBackoff: Double = 1, maxBackoff: Double = 30) {
            self.failureThreshold = failureThreshold
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
        }
    }

    public let settings: Settings
    public private(set) var state: State = .closed
    /// When the open circuit lets one probe through.
    public private(set) var probeAt: Double = 0
    public private(set) var consecutiveFailures = 0
    private var backoff: Double
    private var probeInFlight = false
    /// When the circuit last opened; `nil` while closed.
    public private(set) var openedAt: Double?

    public init(settings: Settings = Settings()) {
        self.settings = settings
        backoff = settings.initialBackoff
    }

    /// Whether an attempt may start now. In half-open, only one probe at a time.
    public func allowsAttempt(at now: Double) -> Bool {
        switch state {
        case .closed: true
        case .open: now >= probeAt
        case .halfOpen: !probeInFlight
        }
    }

    /// Notes that an attempt starts; an open circuit past its back-off turns half-open and this is its probe.
    public mutating func attemptStarted(at now: Double) {
        if state == .open, now >= probeAt { state = .halfOpen }
        if state == .halfOpen { probeInFlight = true }
    }

    /// The relay answered (any reply but a failure to connect): the circuit closes.
    public mutating func recordSuccess(at now: Double) {
        consecutiveFailures = 0
        probeInFlight = false
        backoff = settings.initialBackoff
        state = .closed
        openedAt = nil
    }

    /// The relay could not be used.
    public mutating func recordFailure(at now: Double) {
        consecutiveFailures += 1
        switch state {
        case .halfOpen:
            probeInFlight = false
            backoff = min(settings.maxBackoff, backoff * 2)
            open(at: now)
        case .closed where consecutiveFailures >= settings.failureThreshold:
            backoff = settings.initialBackoff
            openedAt = now
            open(at: now)
        case .closed, .open:
            break
        }
    }

    /// An attempt that ended without telling anything (cancelled): frees the probe slot.
    public mutating func attemptAbandoned() {
        if state == .halfOpen, probeInFlight {
            probeInFlight = false
        }
    }

    private mutating func open(at now: Double) {
        state = .open
        probeAt = now + backoff
    }
}
