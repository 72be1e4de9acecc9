/// AIMD speed control for one relay or one destination provider.
///
/// Starts at `startRate` and, while every reply is good, adds one message/s per delivery (doubling each
/// second: "slow start"). On a request to slow down it multiplies the rate by `decrease` at once, and only
/// once per round: replies to messages sent before that cut are about the old rate and are ignored. After
/// the first cut it adds `increaseFraction` of the rate (at least `minimumIncrease`) per second of
/// deliveries. It never exceeds `ceiling`, and never runs more than twice ahead of what was actually
/// delivered, so a relay that was never pushed is not trusted with an untested speed.
public struct RateController: Sendable, Equatable {
    public struct Settings: Sendable, Equatable {
        public var startRate: Double
        public var minimumRate: Double
        /// Factor applied on trouble (0.85: a 15 % cut).
        public var decrease: Double
        /// Rate gained per second of full use after slow start, as a fraction of the rate.
        public var increaseFraction: Double
        /// Messages/s gained per second at least, so slow relays recover too.
        public var minimumIncrease: Double
        /// Increases pause while replies take this many times longer than the fastest seen.
        public var latencyInflation: Double
        /// Within one episode of trouble (requests to slow down less than `episodeGap` seconds apart),
        /// the rate is not cut below this share of the rate the episode started at: errors that slowing
        /// down does not cure (a relay refusing a share of recipients whatever the speed) must not drive
        /// the rate to nothing.
        public var episodeFloor: Double
        public var episodeGap: Double

        public init(startRate: Double = 10, minimumRate: Double = 0.5, decrease: Double = 0.85,
                    increaseFraction: Double = 0.02, minimumIncrease: Double = 1, latencyInflation: Double = 4,
                    episodeFloor: Double = 0.35, episodeGap: Double = 2) {
            self.startRate = startRate
            self.minimumRate = minimumRate
            self.decrease = decrease
            self.increaseFraction = increaseFraction
            self.minimumIncrease = minimumIncrease
            self.latencyInflation = latencyInflation
            self.episodeFloor = episodeFloor
            self.episodeGap = episodeGap
        }
    }

    public let settings: Settings
    /// Highest rate ever allowed (`max_rate`, a provider's limit); `.infinity` when none.
    public let ceiling: Double
    /// Messages per second currently allowed; `.infinity` for a provider without limit that has not
    /// asked to slow down yet.
    public private(set) var rate: Double
    /// Slow start runs below this rate; `.infinity` until the first cut.
    public private(set) var threshold = Double.infinity
    public private(set) var lastDecreaseAt = -Double.infinity
    /// Number of cuts so far, for logs and tests.
    public private(set) var decreases = 0
    private var goodput = GoodputMeter()
    private var fastestLatency = Double.infinity
    private var smoothedLatency = 0.0
    private var suspendedRate: Double?
    private var episodeStartRate = 0.0
    private var lastTroubleAt = -Double.infinity

    /// - Parameter unlimited: start with no rate at all (a provider), until it first asks to slow down.
    public init(settings: Settings, ceiling: Double = .infinity, unlimited: Bool = false) {
        self.settings = settings
        self.ceiling = ceiling > 0 ? ceiling : .infinity
        rate = unlimited ? self.ceiling : min(settings.startRate, self.ceiling)
    }

    public var isInSlowStart: Bool { rate < threshold }

    /// Deliveries per second over the last second.
    public mutating func deliveredRate(at now: Double) -> Double { goodput.rate(at: now) }

    /// Feeds one outcome. `sentAt` is when that message was handed to the relay.
    public mutating func record(_ signal: RelaySignal, sentAt: Double, at now: Double) {
        if let latency = signal.latency { observe(latency: latency) }
        switch signal {
        case .delivered:
            goodput.record(at: now)
            increase(at: now)
        case .throttled:
            slowDown(sentAt: sentAt, at: now)
        case .deferred, .rejected, .relayFailed:
            break
        }
    }

    /// Trouble reported from outside the replies (deferrals and soft bounces counted per provider).
    public mutating func slowDown(sentAt: Double, at now: Double) {
        let base = rate.isFinite ? rate : max(goodput.rate(at: now), settings.minimumRate)
        if now - lastTroubleAt > settings.episodeGap { episodeStartRate = base }
        lastTroubleAt = now
        guard sentAt >= lastDecreaseAt else { return }
        let floor = max(settings.minimumRate, episodeStartRate * settings.episodeFloor)
        rate = min(ceiling, base, max(floor, base * settings.decrease))
        threshold = rate
        lastDecreaseAt = now
        decreases += 1
    }

    /// The relay went out of use (circuit open): remember the speed it had.
    public mutating func suspend() {
        if suspendedRate == nil { suspendedRate = rate }
    }

    /// The relay answers again: climb back quickly (slow start) to a little under its old speed.
    public mutating func resume(at now: Double) {
        guard let previous = suspendedRate else { return }
        suspendedRate = nil
        guard previous.isFinite else { return }
        threshold = previous * settings.decrease
        rate = min(ceiling, max(settings.startRate, previous / 8))
        lastDecreaseAt = now
    }

    private mutating func increase(at now: Double) {
        guard rate.isFinite, rate < ceiling else { return }
        if fastestLatency.isFinite, smoothedLatency > fastestLatency * settings.latencyInflation,
           smoothedLatency > fastestLatency + 0.5 {
            return
        }
        let step = isInSlowStart ? 1 : max(settings.increaseFraction, settings.minimumIncrease / rate)
        let validated = max(settings.startRate, 2 * goodput.rate(at: now))
        rate = min(ceiling, max(rate, min(rate + step, validated)))
    }

    private mutating func observe(latency: Double) {
        guard latency >= 0 else { return }
        fastestLatency = min(fastestLatency, latency)
        smoothedLatency = smoothedLatency == 0 ? latency : smoothedLatency * 0.9 + latency * 0.1
    }
}
