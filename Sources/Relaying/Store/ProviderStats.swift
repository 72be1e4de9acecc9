import Foundation

/// Counts for one provider in one window of `facteur_provider_stats`.
public struct ProviderWindowCounts: Sendable, Equatable {
    public var provider: String
    /// Start of the window (UTC, a multiple of `ProviderStatsStore.windowSeconds`).
    public var windowStart: Date
    public var sent = 0
    public var deferred = 0
    public var softBounces = 0
    public var hardBounces = 0

    public init(provider: String, windowStart: Date, sent: Int = 0, deferred: Int = 0, softBounces: Int = 0, hardBounces: Int = 0) {
        self.provider = provider
        self.windowStart = windowStart
        self.sent = sent
        self.deferred = deferred
        self.softBounces = softBounces
        self.hardBounces = hardBounces
    }

    /// Deferrals and soft bounces: what slows a provider down.
    public var troubled: Int { deferred + softBounces }
}

/// Sending-side counts gathered in memory between two writes, so the table gets one row per
/// provider and window per flush instead of one write per message.
public struct ProviderStatsAccumulator: Sendable {
    private var counts: [String: ProviderWindowCounts] = [:]

    public init() {}

    public var isEmpty: Bool { counts.isEmpty }

    /// Counts one outcome: delivered → sent, deferred or throttled → deferred.
    public mutating func record(provider: String, _ signal: RelaySignal, at date: Date) {
        let window = ProviderStatsStore.windowStart(of: date)
        let key = provider + "\u{0}" + String(window.timeIntervalSince1970)
        var entry = counts[key] ?? ProviderWindowCounts(provider: provider, windowStart: window)
        switch signal {
        case .delivered: entry.sent += 1
        case .deferred, .throttled: entry.deferred += 1
        case .rejected, .relayFailed: return
        }
        counts[key] = entry
    }

    /// Everything counted since the last call.
    public mutating func drain() -> [ProviderWindowCounts] {
        defer { counts = [:] }
        return counts.values.sorted { ($0.provider, $0.windowStart) < ($1.provider, $1.windowStart) }
    }
}
