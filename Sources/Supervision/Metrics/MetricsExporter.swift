import CoreMetrics
import Prometheus

/// The Prometheus side of swift-metrics: one registry, the factory that feeds it, and the collectors
/// that refresh state gauges (relay pool, database) just before each scrape.
public struct MetricsExporter: Sendable {
    public typealias Collector = @Sendable () async -> Void

    public let registry: PrometheusCollectorRegistry
    /// The factory to bootstrap swift-metrics with (or to hand to metric structs in tests).
    public let factory: PrometheusMetricsFactory
    public var collectors: [Collector]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), collectors: [Collector] = []) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        // Send latency: SMTP replies after DATA take from a few milliseconds to minutes.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            .seconds(30), .seconds(60), .seconds(300),
        ]
        self.factory = factory
        self.collectors = collectors
    }

    /// The Prometheus text exposition (format 0.0.4), after running the collectors.
    public func scrape() async -> [UInt8] {
        for collect in collectors { await collect() }
        return registry.emitToBuffer()
    }
}

extension MetricsExporter {
    /// Makes this exporter's factory swift-metrics' global one. Once per process (swift-metrics
    /// refuses a second bootstrap): the executable does it, tests inject factories instead.
    public func bootstrapSwiftMetrics() {
        MetricsSystem.bootstrap(factory)
    }
}
