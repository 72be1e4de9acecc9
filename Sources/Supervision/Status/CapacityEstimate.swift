import Foundation

/// "Métrologie": what the current relays can send, and when the queue will be done, from measured
/// figures only, so an operator sizes relays from data. Pure: the reader gathers the inputs.
///
/// A relay's capacity is the rate its controller allows (a configured max_rate, or lower after the
/// relay pushed back). A relay without a limit can go as fast as it answers, which only a measurement
/// shows: its measured rate is used and the estimate is then a lower bound. An open circuit adds nothing.
public struct CapacityEstimate: Codable, Sendable, Equatable {
    /// Messages per second the relays can take; nil when no relay is known.
    public var achievablePerSecond: Double?
    /// The rate measured over the last minute.
    public var measuredPerSecond: Double
    /// True when a relay without a limit counted at its measured rate: the real capacity may be higher.
    public var isLowerBound: Bool
    /// Subscribers still to send (to process + retries) in running campaigns.
    public var queueRemaining: Int
    /// When the queue is done at the measured rate (nil: nothing measured yet).
    public var queueDoneAt: Date?
    /// When the queue would be done at the achievable rate.
    public var queueDoneAtCapacity: Date?
    /// Relays whose circuit is open, counted as zero.
    public var openRelays: [String]

    /// The same per hour and per day (stored, so `--json` readers need not multiply).
    public var achievablePerHour: Double?
    public var achievablePerDay: Double?
    public var measuredPerHour: Double

    /// What the estimate needs to know of one relay.
    public struct RelayInput: Sendable, Equatable {
        public var name: String
        public var circuit: String
        public var allowedRate: Double?
        public var measuredRate: Double

        public init(name: String, circuit: String, allowedRate: Double?, measuredRate: Double) {
            self.name = name
            self.circuit = circuit
            self.allowedRate = allowedRate
            self.measuredRate = measuredRate
        }
    }

    public init(achievablePerSecond: Double?, measuredPerSecond: Double, isLowerBound: Bool, queueRemaining: Int,
                queueDoneAt: Date?, queueDoneAtCapacity: Date?, openRelays: [String]) {
        self.achievablePerSecond = achievablePerSecond
        self.achievablePerHour = achievablePerSecond.map { $0 * 3600 }
        self.achievablePerDay = achievablePerSecond.map { $0 * 86400 }
        self.measuredPerSecond = measuredPerSecond
        self.measuredPerHour = measuredPerSecond * 3600
        self.isLowerBound = isLowerBound
        self.queueRemaining = queueRemaining
        self.queueDoneAt = queueDoneAt
        self.queueDoneAtCapacity = queueDoneAtCapacity
        self.openRelays = openRelays
    }

    public static func estimate(relays: [RelayInput], measuredPerSecond: Double, queueRemaining: Int, now: Date) -> CapacityEstimate {
        var total = 0.0
        var lowerBound = false
        var open: [String] = []
        for relay in relays {
            if relay.circuit == "open" {
                open.append(relay.name)
                continue
            }
            if let allowed = relay.allowedRate, allowed.isFinite {
                total += allowed
            } else {
                total += relay.measuredRate
                lowerBound = true
            }
        }
        // The relays demonstrably took what was measured, whatever the limits say.
        let achievable: Double? = relays.isEmpty ? nil : max(total, measuredPerSecond)
        let remaining = max(0, queueRemaining)
        return CapacityEstimate(
            achievablePerSecond: achievable, measuredPerSecond: measuredPerSecond, isLowerBound: lowerBound,
            queueRemaining: remaining,
            queueDoneAt: doneAt(remaining: remaining, rate: measuredPerSecond, now: now),
            queueDoneAtCapacity: doneAt(remaining: remaining, rate: achievable ?? 0, now: now),
            openRelays: open)
    }

    /// `part` / `whole`, nil when `whole` is zero (no share of nothing).
    public static func share(_ part: Int, of whole: Int) -> Double? {
        whole > 0 ? Double(part) / Double(whole) : nil
    }

    static func doneAt(remaining: Int, rate: Double, now: Date) -> Date? {
        if remaining == 0 { return now }
        guard rate > 0, rate.isFinite else { return nil }
        return now.addingTimeInterval((Double(remaining) / rate).rounded(.up))
    }
}
