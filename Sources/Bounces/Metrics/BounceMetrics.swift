import CoreMetrics
import Synchronization

/// Bounces processed, by classifier reason and severity (`hard`, `soft`, or `none` for what is no
/// failure: auto-replies, delivery reports, ordinary mail). A message seen before counts nothing.
/// Both labels come from closed vocabularies, so the series stay few.
/// `factory` nil = swift-metrics' bootstrapped factory (resolved when a label set is first used).
public final class BounceMetrics: Sendable {
    public static let processed = "facteur_bounces_processed_total"

    struct Key: Hashable, Sendable {
        let reason: BounceReason
        let severity: String
    }

    private let factory: (any MetricsFactory)?
    private let counters = Mutex<[Key: Counter]>([:])

    public init(factory: (any MetricsFactory)? = nil) {
        self.factory = factory
    }

    public func record(_ outcome: BounceOutcome) {
        guard outcome.disposition != .alreadySeen else { return }
        let key = Key(reason: outcome.reason, severity: Self.severity(outcome))
        let counter = counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: Self.processed, dimensions: [("reason", key.reason.rawValue), ("severity", key.severity)],
                                  factory: factory ?? MetricsSystem.factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
    }

    static func severity(_ outcome: BounceOutcome) -> String {
        outcome.isHard ? "hard" : outcome.reason.isFailure ? "soft" : "none"
    }
}
