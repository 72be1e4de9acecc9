import CoreMetrics
import Foundation
import Relaying

/// What sending records, per attempt at a relay: messages sent (250 after DATA), deferred (4xx or relay
/// trouble: the message is tried again) and failed (5xx: final), SMTP reply classes, send latency;
/// and the worker's heartbeat. Labels are the relay's configured name and the destination provider
/// (`other` for a domain in no provider), never an address, so the series stay few.
/// `factory` nil = swift-metrics' bootstrapped factory (resolved when a label set is first used).
public struct SendMetrics: Sendable {
    public static let sent = "facteur_messages_sent_total"
    public static let deferred = "facteur_messages_deferred_total"
    public static let failed = "facteur_messages_failed_total"
    public static let replies = "facteur_smtp_replies_total"
    public static let latency = "facteur_send_duration_seconds"
    public static let heartbeat = "facteur_worker_heartbeat_timestamp_seconds"

    /// The provider label of a domain that belongs to no provider.
    public static let otherProvider = "other"

    struct Route: Hashable, Sendable {
        let relay: String
        let provider: String
    }

    struct RouteMetrics: Sendable {
        let sent: Counter
        let deferred: Counter
        let failed: Counter
    }

    /// Reply classes: `2xx`, `4xx`, `5xx`, and `none` when the relay gave no reply (refused, dropped, TLS).
    struct RelayReplies: Sendable {
        let replies: [String: Counter]
        let latency: CoreMetrics.Timer
    }

    static let replyClasses = ["2xx", "4xx", "5xx", "none"]

    private let routes: LabelledMetrics<Route, RouteMetrics>
    private let relays: LabelledMetrics<String, RelayReplies>
    private let beat: LabelledMetrics<Int, Gauge>

    public init(factory: (any MetricsFactory)? = nil) {
        routes = LabelledMetrics { route in
            let factory = factory ?? MetricsSystem.factory
            let labels = [("relay", route.relay), ("provider", route.provider)]
            return RouteMetrics(sent: Counter(label: Self.sent, dimensions: labels, factory: factory),
                                deferred: Counter(label: Self.deferred, dimensions: labels, factory: factory),
                                failed: Counter(label: Self.failed, dimensions: labels, factory: factory))
        }
        relays = LabelledMetrics { relay in
            let factory = factory ?? MetricsSystem.factory
            return RelayReplies(
                replies: Dictionary(uniqueKeysWithValues: Self.replyClasses.map { replyClass in
                    (replyClass, Counter(label: Self.replies, dimensions: [("relay", relay), ("class", replyClass)], factory: factory))
                }),
                latency: CoreMetrics.Timer(label: Self.latency, dimensions: [("relay", relay)], factory: factory))
        }
        beat = LabelledMetrics { _ in Gauge(label: Self.heartbeat, factory: factory ?? MetricsSystem.factory) }
    }

    /// One attempt at `lease`'s relay and what it gave.
    func record(_ attempt: RelayLane.Attempt, lease: RelayLease) {
        let route = routes[Route(relay: lease.relayName, provider: Self.providerLabel(lease))]
        switch attempt.verdict {
        case .delivered: route.sent.increment()
        case .permanent: route.failed.increment()
        case .transient, .relayTrouble: route.deferred.increment()
        }
        let relay = relays[lease.relayName]
        relay.replies[Self.replyClass(attempt.signal)]?.increment()
        if let latency = attempt.signal.latency {
            relay.latency.recordNanoseconds(Int64((latency * 1e9).rounded()))
        }
    }

    /// The worker is alive: its loop ran, or its lease was renewed.
    public func heartbeat(at date: Date = Date()) {
        beat[0].record(date.timeIntervalSince1970)
    }

    static func replyClass(_ signal: RelaySignal) -> String {
        switch signal {
        case .delivered: "2xx"
        case .throttled, .deferred: "4xx"
        case .rejected: "5xx"
        case .relayFailed: "none"
        }
    }

    /// The lease's provider when it is a named one; a domain that is its own provider becomes `other`.
    static func providerLabel(_ lease: RelayLease) -> String {
        var domain = Substring(lease.domain)
        if domain.hasSuffix(".") { domain.removeLast() }
        return lease.provider == domain ? otherProvider : lease.provider
    }
}
