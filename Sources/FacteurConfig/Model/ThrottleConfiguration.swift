/// `throttle.*`: how the speed controller starts and which destination domains share one limit.
public struct ThrottleConfiguration: Sendable, Equatable {
    /// Messages per second each relay starts at before the controller has seen any reply.
    public var startRate = 50.0
    /// Providers added to, or replacing (same `name`), the shipped provider table.
    public var providers: [ProviderConfiguration] = []

    public init() {}
}

/// One `throttle.providers[]` entry: destination domains that share one limit (one mail system).
public struct ProviderConfiguration: Sendable, Equatable {
    /// Key used in logs, metrics and `facteur_provider_stats`, e.g. `gmail`.
    public var name = ""
    /// Domains delivered by this provider, e.g. `[gmail.com, googlemail.com]`.
    public var domains: [String] = []
    /// Messages per second to this provider at most, over all relays; 0 = no limit.
    public var maxRate = 0.0
    /// Messages in flight to this provider at most, over all relays; 0 = no limit.
    public var maxConcurrent = 0

    public init(name: String = "", domains: [String] = [], maxRate: Double = 0, maxConcurrent: Int = 0) {
        self.name = name
        self.domains = domains
        self.maxRate = maxRate
        self.maxConcurrent = maxConcurrent
    }
}
