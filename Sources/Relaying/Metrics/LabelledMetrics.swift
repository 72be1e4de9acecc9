import CoreMetrics
import NIOConcurrencyHelpers

/// Metric objects created once per label set and reused: swift-metrics' backends look a metric up by
/// name and labels on every creation, which costs too much per message at thousands of messages a second.
public final class LabelledMetrics<Key: Hashable & Sendable, Metric: Sendable>: Sendable {
    private let make: @Sendable (Key) -> Metric
    private let cache = NIOLockedValueBox<[Key: Metric]>([:])

    public init(_ make: @escaping @Sendable (Key) -> Metric) {
        self.make = make
    }

    /// The metric of `key`, created on first use.
    public subscript(_ key: Key) -> Metric {
        cache.withLockedValue { cache in
            if let metric = cache[key] { return metric }
            let metric = make(key)
            cache[key] = metric
            return metric
        }
    }

    /// Keys seen so far.
    public var keys: [Key] { cache.withLockedValue { Array($0.keys) } }
}
