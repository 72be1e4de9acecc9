import FacteurConfig
import Relaying
import SMTP

/// One relay the worker sends through: how to reach it and the limits the pool applies to it.
public struct WorkerRelay: Sendable {
    public var smtp: SMTPRelayConfiguration
    public var descriptor: RelayDescriptor

    public init(smtp: SMTPRelayConfiguration, descriptor: RelayDescriptor) {
        self.smtp = smtp
        self.descriptor = descriptor
    }

    /// A relay with weight 1, `connections` connections and no rate limit.
    public init(smtp: SMTPRelayConfiguration, weight: Double = 1, connections: Int = 8) {
        self.init(smtp: smtp, descriptor: RelayDescriptor(name: smtp.name, weight: weight, maxConnections: connections))
    }
}

/// The relay pool's settings: providers, PHPList's queue limits, controller and circuit tuning. The
/// defaults are the configuration's (`throttle.start_rate` …), so settings built in code behave as a
/// config file without those keys.
public struct RelayingOptions: Sendable {
    public var providers: ProviderTable
    public var phplistQueue: PHPListQueueSettings
    public var pool: RelayPoolState.Settings
    /// How many times one message is handed to another relay after relay trouble (refused, 421, dropped)
    /// within one batch before it counts as a transient failure.
    public var relayAttempts: Int
    /// When subscribers refused transiently are tried again, and when they are given up.
    public var retry: RetrySchedule

    public init(providers: ProviderTable = .shipped, phplistQueue: PHPListQueueSettings = PHPListQueueSettings(),
                pool: RelayPoolState.Settings = .init(controller: .init(startRate: ThrottleConfiguration().startRate)), relayAttempts: Int = 4,
                retry: RetrySchedule = RetrySchedule()) {
        self.providers = providers
        self.phplistQueue = phplistQueue
        self.pool = pool
        self.relayAttempts = relayAttempts
        self.retry = retry
    }
}
