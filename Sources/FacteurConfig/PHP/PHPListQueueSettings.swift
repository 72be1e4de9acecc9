/// PHPList's queue batch and throttle constants; Facteur keeps them so its scheduler can honour them.
public struct PHPListQueueSettings: Sendable, Equatable {
    /// `MAILQUEUE_BATCH_SIZE`: messages per batch period, 0 = no limit.
    public var batchSize: Int
    /// `MAILQUEUE_BATCH_PERIOD`: seconds.
    public var batchPeriod: Int
    /// `MAILQUEUE_THROTTLE`: seconds to wait between messages.
    public var throttle: Int
    /// `MAILQUEUE_AUTOTHROTTLE`.
    public var autoThrottle: Bool
    /// `USE_DOMAIN_THROTTLE`.
    public var useDomainThrottle: Bool
    /// `DOMAIN_BATCH_SIZE`: messages per domain per domain batch period.
    public var domainBatchSize: Int
    /// `DOMAIN_BATCH_PERIOD`: seconds.
    public var domainBatchPeriod: Int
    /// `TEST`: PHPList sends nothing while it is true (its default when undefined).
    public var testMode: Bool

    public init(batchSize: Int = 0, batchPeriod: Int = 3600, throttle: Int = 0, autoThrottle: Bool = false,
                useDomainThrottle: Bool = false, domainBatchSize: Int = 1, domainBatchPeriod: Int = 120,
                testMode: Bool = false) {
        self.batchSize = batchSize
        self.batchPeriod = batchPeriod
        self.throttle = throttle
        self.autoThrottle = autoThrottle
        self.useDomainThrottle = useDomainThrottle
        self.domainBatchSize = domainBatchSize
        self.domainBatchPeriod = domainBatchPeriod
        self.testMode = testMode
    }
}
