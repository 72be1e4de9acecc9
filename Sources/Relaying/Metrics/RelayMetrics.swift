import CoreMetrics

/// The relay pool's state as gauges: allowed rate per relay and per provider, circuit state per relay.
/// State, not events: `publish` is called when metrics are scraped (and may be called at any time).
/// `factory` nil = swift-metrics' bootstrapped factory.
public struct RelayMetrics: Sendable {
    public static let relayAllowedRate = "facteur_relay_allowed_rate_messages_per_second"
    public static let providerAllowedRate = "facteur_provider_allowed_rate_messages_per_second"
    public static let relayCircuit = "facteur_relay_circuit_state"
    public static let relayUp = "facteur_relay_up"
    public static let relayInFlight = "facteur_relay_messages_in_flight"

    /// The circuit states, each one a series of `facteur_relay_circuit_state` (1 for the current one).
    static let circuitStates: [CircuitBreaker.State] = [.closed, .halfOpen, .open]

    private struct RelayGauges: Sendable {
        let rate: Gauge
        let up: Gauge
        let inFlight: Gauge
        let circuit: [CircuitBreaker.State: Gauge]
    }

    private let relays: LabelledMetrics<String, RelayGauges>
    private let providers: LabelledMetrics<String, Gauge>

    public init(factory: (any MetricsFactory)? = nil) {
        relays = LabelledMetrics { relay in
            let factory = factory ?? MetricsSystem.factory
            let labels = [("relay", relay)]
            return RelayGauges(
                rate: Gauge(label: Self.relayAllowedRate, dimensions: labels, factory: factory),
                up: Gauge(label: Self.relayUp, dimensions: labels, factory: factory),
                inFlight: Gauge(label: Self.relayInFlight, dimensions: labels, factory: factory),
                circuit: Dictionary(uniqueKeysWithValues: Self.circuitStates.map { state in
                    (state, Gauge(label: Self.relayCircuit, dimensions: labels + [("state", Self.label(state))], factory: factory))
                }))
        }
        providers = LabelledMetrics { provider in
            Gauge(label: Self.providerAllowedRate, dimensions: [("provider", provider)], factory: factory ?? MetricsSystem.factory)
        }
    }

    /// Sets the gauges from the pool's state. Only providers of `known` get a series (a domain in no
    /// provider is its own provider in the pool; as a label it would grow with the audience). An
    /// unlimited rate is exported as 0 (the configuration's "0 = no limit").
    public func publish(relays: [RelayStatus], providers: [ProviderStatus], known: Set<String>) {
        for relay in relays {
            let gauges = self.relays[relay.name]
            gauges.rate.record(relay.allowedRate.isFinite ? relay.allowedRate : 0)
            gauges.up.record(relay.circuit == .open ? 0 : 1)
            gauges.inFlight.record(relay.inFlight)
            for (state, gauge) in gauges.circuit { gauge.record(state == relay.circuit ? 1 : 0) }
        }
        for provider in providers where known.contains(provider.name) {
            self.providers[provider.name].record(provider.allowedRate.isFinite ? provider.allowedRate : 0)
        }
    }

    /// Reads the pool and publishes it.
    public func publish(_ pool: RelayPool) {
        let known = Set(pool.withState { state, _ in state.providerTable.providers.map(\.name) })
        publish(relays: pool.relayStatus(), providers: pool.providerStatus(), known: known)
    }

    /// "closed", "half_open", "open": label values in Prometheus' snake case.
    static func label(_ state: CircuitBreaker.State) -> String {
        state == .halfOpen ? "half_open" : state.rawValue
    }
}
