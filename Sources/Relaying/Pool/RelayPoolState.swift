import FacteurConfig

/// The relay pool as a deterministic state machine: which relay a message goes to, when, and how
/// outcomes change each relay's and provider's allowed rate and health. The caller passes the time,
/// so a simulation drives exactly the code production runs (`RelayPool` wraps it with a clock and a lock).
public struct RelayPoolState: Sendable {
    public struct Settings: Sendable, Equatable {
        public var controller: RateController.Settings
        public var circuit: CircuitBreaker.Settings
        /// Share of the connections of usable relays one provider may hold while messages to other
        /// providers wait: a slow or tarpitting destination cannot take every connection.
        public var providerShare: Double

        public init(controller: RateController.Settings = .init(), circuit: CircuitBreaker.Settings = .init(),
                    providerShare: Double = 0.5) {
            self.controller = controller
            self.circuit = circuit
            self.providerShare = providerShare
        }
    }

    struct Relay: Sendable {
        let descriptor: RelayDescriptor
        var controller: RateController
        var breaker: CircuitBreaker
        var pacer = TokenPacer()
        var inFlight = 0
        var day = Int.min
        var sentToday = 0
        /// Share of recent attempts the relay handled (EWMA), which scales its weight.
        var health = 1.0
        /// Smooth weighted round robin credit.
        var credit = 0.0
        var delivered = 0
        var attempts = 0

        var effectiveWeight: Double { descriptor.weight * max(0.05, health) }
    }

    struct Provider: Sendable {
        var controller: RateController
        var maxConcurrent: Int
        var pacer = TokenPacer()
        var inFlight = 0
        var lastUsed = 0.0
    }

    public let settings: Settings
    public let providerTable: ProviderTable
    var relays: [Relay]
    var providers: [String: Provider] = [:]
    var phplist: PHPListThrottle

    public init(relays: [RelayDescriptor], providers: ProviderTable = .shipped,
                phplist: PHPListThrottle = .none, settings: Settings = Settings()) {
        self.settings = settings
        providerTable = providers
        self.phplist = phplist
        self.relays = relays.map {
            Relay(descriptor: $0, controller: RateController(settings: settings.controller, ceiling: $0.maxRate),
                  breaker: CircuitBreaker(settings: settings.circuit))
        }
    }

    public var relayNames: [String] { relays.map(\.descriptor.name) }

    // MARK: - Reserving

    /// May a message to `domain` (of `provider`) go now, and through which relay. `othersWaiting`: messages
    /// to other destinations are queued too, so this provider keeps to its share of the connections.
    public mutating func reserve(provider providerName: String, domain: String, at now: Double,
                                 othersWaiting: Bool = false) -> Reservation {
        let limit = phplist.earliest(domain: domain, at: now)
        if limit.time > now {
            return .wait(until: limit.time, reason: limit.limit == .domain ? .domainLimit : .phplistLimit)
        }
        var provider = providers[providerName] ?? makeProvider(providerName)
        defer { providers[providerName] = provider }
        if provider.maxConcurrent > 0, provider.inFlight >= provider.maxConcurrent {
            return .wait(until: .infinity, reason: .providerLimit)
        }
        if othersWaiting, provider.inFlight >= max(1, Int(settings.providerShare * Double(usableConnections))) {
            return .wait(until: .infinity, reason: .providerLimit)
        }
        let providerNext = provider.pacer.nextAllowed(rate: provider.controller.rate, at: now)
        if providerNext > now { return .wait(until: providerNext, reason: .providerLimit) }

        guard let chosen = chooseRelay(at: now) else { return relayWait(at: now) }

        provider.pacer.take(rate: provider.controller.rate, at: now)
        provider.inFlight += 1
        provider.lastUsed = now
        relays[chosen].pacer.take(rate: relays[chosen].controller.rate, at: now)
        relays[chosen].inFlight += 1
        relays[chosen].attempts += 1
        relays[chosen].sentToday += 1
        relays[chosen].breaker.attemptStarted(at: now)
        phplist.record(domain: domain, at: now)
        return .granted(RelayLease(relay: chosen, relayName: relays[chosen].descriptor.name,
                                   provider: providerName, domain: domain, startedAt: now))
    }

    /// Among relays that may take a message now, the one the smooth weighted round robin picks
    /// (weight × health), so shares follow the weights whenever relays have budget to spare.
    private mutating func chooseRelay(at now: Double) -> Int? {
        var total = 0.0
        var best: Int?
        for index in relays.indices where isAvailable(index, at: now) {
            let weight = relays[index].effectiveWeight
            relays[index].credit += weight
            total += weight
            if best == nil || relays[index].credit > relays[best!].credit { best = index }
        }
        if let best { relays[best].credit -= total }
        return best
    }

    private mutating func isAvailable(_ index: Int, at now: Double) -> Bool {
        rollDay(index, at: now)
        let relay = relays[index]
        guard relay.breaker.allowsAttempt(at: now), relay.inFlight < relay.descriptor.maxConnections else { return false }
        if relay.descriptor.dailyCap > 0, relay.sentToday >= relay.descriptor.dailyCap { return false }
        return relays[index].pacer.nextAllowed(rate: relay.controller.rate, at: now) <= now
    }

    /// Connections of relays whose circuit is not open.
    private var usableConnections: Int {
        relays.reduce(0) { $0 + ($1.breaker.state == .open ? 0 : $1.descriptor.maxConnections) }
    }

    private func relayWait(at now: Double) -> Reservation {
        var earliest = Double.infinity
        var anyUp = false
        for relay in relays {
            if relay.breaker.state == .closed { anyUp = true }
            if relay.descriptor.dailyCap > 0, relay.sentToday >= relay.descriptor.dailyCap {
                earliest = min(earliest, Double((Int((now / 86_400).rounded(.down)) + 1) * 86_400))
                continue
            }
            switch relay.breaker.state {
            case .open:
                earliest = min(earliest, relay.breaker.probeAt)
            case .halfOpen:
                continue
            case .closed:
                guard relay.inFlight < relay.descriptor.maxConnections else { continue }
                var pacer = relay.pacer
                earliest = min(earliest, pacer.nextAllowed(rate: relay.controller.rate, at: now))
            }
        }
        return .wait(until: max(earliest, now), reason: anyUp ? .relaysBusy : .allRelaysDown)
    }

    private mutating func rollDay(_ index: Int, at now: Double) {
        let day = Int((now / 86_400).rounded(.down))
        if relays[index].day != day {
            relays[index].day = day
            relays[index].sentToday = 0
        }
    }

    private func makeProvider(_ name: String) -> Provider {
        let limits = providerTable.limits(of: name)
        return Provider(controller: RateController(settings: settings.controller, ceiling: limits?.maxRate ?? 0, unlimited: true),
                        maxConcurrent: limits?.maxConcurrent ?? 0)
    }

    // MARK: - Outcomes

    /// What happened to a leased message. Every lease must be completed exactly once.
    public mutating func complete(_ lease: RelayLease, _ signal: RelaySignal, at now: Double) {
        var relay = relays[lease.relay]
        relay.inFlight -= 1
        switch signal {
        case .relayFailed:
            relay.sentToday -= 1
            let wasClosed = relay.breaker.state == .closed
            relay.breaker.recordFailure(at: now)
            if wasClosed, relay.breaker.state == .open { relay.controller.suspend() }
            relay.health = relay.health * 0.9
        default:
            if relay.breaker.state != .closed || relay.breaker.consecutiveFailures > 0 {
                relay.breaker.recordSuccess(at: now)
                relay.controller.resume(at: now)
            }
            relay.controller.record(signal, sentAt: lease.startedAt, at: now)
            if case .delivered = signal { relay.delivered += 1 }
            var good = 1.0
            if case .throttled = signal { good = 0.5 }
            relay.health = relay.health * 0.9 + good * 0.1
        }
        relays[lease.relay] = relay

        if var provider = providers[lease.provider] {
            provider.inFlight -= 1
            // Replies come from the relay, whose own limits they express: they steer the relay's controller.
            // A provider slows down on what its own mail system reports (deferrals and soft bounces
            // counted in facteur_provider_stats, `applyProviderFeedback`) and keeps to its ceilings.
            if case .delivered = signal {
                provider.controller.record(signal, sentAt: lease.startedAt, at: now)
            }
            providers[lease.provider] = provider
        }
    }

    /// A lease given back without an attempt (the worker stopped): frees its slots, changes no rate.
    public mutating func abandon(_ lease: RelayLease) {
        relays[lease.relay].inFlight -= 1
        relays[lease.relay].sentToday -= 1
        relays[lease.relay].breaker.attemptAbandoned()
        providers[lease.provider]?.inFlight -= 1
    }

    /// Deferrals and soft bounces counted for a provider (from `facteur_provider_stats`): more than
    /// 5 % of at least 20 messages slows that provider down.
    public mutating func applyProviderFeedback(provider name: String, sent: Int, troubled: Int, at now: Double) {
        guard sent >= 20, Double(troubled) > 0.05 * Double(sent) else { return }
        var provider = providers[name] ?? makeProvider(name)
        provider.controller.slowDown(sentAt: now, at: now)
        providers[name] = provider
    }

    /// Forgets providers unused for `idle` seconds that have no limit of their own, so a campaign to a
    /// million small domains does not keep a million controllers.
    public mutating func forgetIdleProviders(olderThan idle: Double, at now: Double) {
        providers = providers.filter { $0.value.inFlight > 0 || now - $0.value.lastUsed < idle || !$0.value.controller.rate.isInfinite }
    }

    // MARK: - Observing

    public func relayStatus(at now: Double) -> [RelayStatus] {
        relays.map {
            RelayStatus(name: $0.descriptor.name, circuit: $0.breaker.state, allowedRate: $0.controller.rate,
                        inFlight: $0.inFlight, health: $0.health, sentToday: $0.sentToday,
                        delivered: $0.delivered, attempts: $0.attempts)
        }
    }

    public func providerStatus() -> [ProviderStatus] {
        providers.map { ProviderStatus(name: $0.key, allowedRate: $0.value.controller.rate, inFlight: $0.value.inFlight) }
            .sorted { $0.name < $1.name }
    }

    /// The rate controller of relay `index`, for tests and the simulation's timeline.
    public func controller(ofRelay index: Int) -> RateController { relays[index].controller }
}

/// One relay as `facteur status`, metrics and `facteur_relay_state` show it.
public struct RelayStatus: Sendable, Equatable {
    public let name: String
    public let circuit: CircuitBreaker.State
    /// Messages per second currently allowed; `.infinity` = no limit.
    public let allowedRate: Double
    public let inFlight: Int
    public let health: Double
    public let sentToday: Int
    public let delivered: Int
    public let attempts: Int
}

public struct ProviderStatus: Sendable, Equatable {
    public let name: String
    public let allowedRate: Double
    public let inFlight: Int
}
