/// `retry.*`: when a transiently refused message is tried again, and when Facteur gives up.
public struct RetryConfiguration: Sendable, Equatable {
    /// Seconds after the first attempt beyond which a message is recorded as failed (default 4 h).
    public var maxAge = 14_400
    /// Seconds before the first retry; each further retry waits twice as long.
    public var initialDelay = 60
    /// Longest wait between two attempts, in seconds.
    public var maxDelay = 3_600
    /// Random spread of each wait, as a fraction (0.2 = ±20 %), so retries do not arrive together.
    public var jitter = 0.2

    public init() {}
}
