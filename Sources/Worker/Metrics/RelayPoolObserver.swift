import CoreMetrics
import Relaying

/// The runner's relay pool as supervision sees it: its gauges refreshed on demand (at each scrape) and
/// which relays are usable (for readiness), without the caller knowing the pool's types.
public struct RelayPoolObserver: Sendable {
    let pool: RelayPool
    let metrics: RelayMetrics

    /// `factory` nil = swift-metrics' bootstrapped factory.
    public init(runner: QueueRunner, factory: (any MetricsFactory)? = nil) {
        pool = runner.relayPool
        metrics = RelayMetrics(factory: factory)
    }

    /// Sets the allowed-rate, circuit and in-flight gauges from the pool's current state.
    public func publish() {
        metrics.publish(pool)
    }

    /// Each relay's name and whether its circuit is open (the relay is out).
    public func relays() -> [(name: String, open: Bool)] {
        pool.relayStatus().map { ($0.name, $0.circuit == .open) }
    }
}
