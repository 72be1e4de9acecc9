import FacteurConfig

/// PHPList's queue limits, read as processqueue (3.6.15) reads them, enforced over all relays:
/// - `MAILQUEUE_BATCH_SIZE` per `MAILQUEUE_BATCH_PERIOD`: at most that many messages in any period
///   (processqueue subtracts what was sent in the last period from each batch: a sliding window);
/// - `MAILQUEUE_THROTTLE`: seconds slept after each message, so messages are that far apart;
/// - `MAILQUEUE_AUTOTHROTTLE` with a batch size: the batch spread evenly over the period;
/// - `DOMAIN_BATCH_SIZE` per `DOMAIN_BATCH_PERIOD` and per domain (the text after `@`), in periods
///   aligned on multiples of the period, only when `USE_DOMAIN_THROTTLE` is on.
/// Zero means no limit, as in PHPList.
public struct PHPListThrottle: Sendable, Equatable {
    public let batchSize: Int
    public let batchPeriod: Int
    /// Seconds between two messages at least (from MAILQUEUE_THROTTLE or the autothrottle), 0 = none.
    public let spacing: Double
    public let domainBatchSize: Int
    public let domainBatchPeriod: Int

    private var windowCounts: [Int]
    private var windowSecond = Int.min
    private var windowTotal = 0
    private var lastSend = -Double.infinity
    private var domains: [String: (window: Int, count: Int)] = [:]

    public init(_ settings: PHPListQueueSettings) {
        let windowed = settings.batchSize > 0 && settings.batchPeriod > 0
        batchSize = windowed ? settings.batchSize : 0
        batchPeriod = windowed ? settings.batchPeriod : 0
        var spacing = settings.throttle > 0 ? Double(settings.throttle) : 0
        if spacing == 0, settings.autoThrottle, windowed {
            spacing = Double(settings.batchPeriod) / Double(settings.batchSize)
        }
        self.spacing = spacing
        let domainLimited = settings.useDomainThrottle && settings.domainBatchSize > 0 && settings.domainBatchPeriod > 0
        domainBatchSize = domainLimited ? settings.domainBatchSize : 0
        domainBatchPeriod = domainLimited ? settings.domainBatchPeriod : 0
        windowCounts = windowed ? [Int](repeating: 0, count: settings.batchPeriod) : []
    }

    /// No limit at all.
    public static let none = PHPListThrottle(PHPListQueueSettings(batchSize: 0, throttle: 0, useDomainThrottle: false))

    public enum Limit: Sendable, Equatable {
        case batch, spacing, domain
    }

    /// When a message to `domain` may go: `now`, or the time a limit frees up, and which limit.
    public mutating func earliest(domain: String, at now: Double) -> (time: Double, limit: Limit?) {
        var time = now
        var limit: Limit?
        if spacing > 0, lastSend + spacing > time {
            time = lastSend + spacing
            limit = .spacing
        }
        if batchSize > 0 {
            advanceWindow(to: now)
            if windowTotal >= batchSize, let free = windowFreesAt(now: now), free > time {
                time = free
                limit = .batch
            }
        }
        if domainBatchSize > 0 {
            let window = Int((now / Double(domainBatchPeriod)).rounded(.down))
            if let entry = domains[domain], entry.window == window, entry.count >= domainBatchSize {
                let next = Double((window + 1) * domainBatchPeriod)
                if next > time {
                    time = next
                    limit = .domain
                }
            }
        }
        return (time, limit)
    }

    /// Counts a message handed to a relay.
    public mutating func record(domain: String, at now: Double) {
        lastSend = max(lastSend, now)
        if batchSize > 0 {
            advanceWindow(to: now)
            windowCounts[slot(windowSecond)] += 1
            windowTotal += 1
        }
        if domainBatchSize > 0 {
            let window = Int((now / Double(domainBatchPeriod)).rounded(.down))
            if let entry = domains[domain], entry.window == window {
                domains[domain] = (window, entry.count + 1)
            } else {
                domains[domain] = (window, 1)
                if domains.count > 100_000 { domains = domains.filter { $0.value.window == window } }
            }
        }
    }

    private func slot(_ second: Int) -> Int { ((second % batchPeriod) + batchPeriod) % batchPeriod }

    private mutating func advanceWindow(to now: Double) {
        let second = Int(now.rounded(.down))
        if windowSecond == Int.min { windowSecond = second; return }
        guard second > windowSecond else { return }
        let cleared = min(batchPeriod, second - windowSecond)
        for step in 1...cleared {
            let index = slot(windowSecond + step)
            windowTotal -= windowCounts[index]
            windowCounts[index] = 0
        }
        windowSecond = second
    }

    /// The time the oldest counted second leaves the window, freeing room.
    private func windowFreesAt(now: Double) -> Double? {
        for age in stride(from: batchPeriod - 1, through: 0, by: -1) {
            let second = windowSecond - age
            if windowCounts[slot(second)] > 0 { return Double(second + batchPeriod) }
        }
        return nil
    }

    public static func == (lhs: PHPListThrottle, rhs: PHPListThrottle) -> Bool {
        lhs.batchSize == rhs.batchSize && lhs.batchPeriod == rhs.batchPeriod && lhs.spacing == rhs.spacing
            && lhs.domainBatchSize == rhs.domainBatchSize && lhs.domainBatchPeriod == rhs.domainBatchPeriod
    }
}
