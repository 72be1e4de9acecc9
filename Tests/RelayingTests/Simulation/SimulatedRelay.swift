import Relaying

/// A relay in the simulation: answers after a fixed latency; a token bucket of `capacity` messages/s
/// (burst: 50 ms worth) decides 250 or 421; refuses connections while `isDown(t)`.
struct SimulatedRelay {
    let name: String
    let latency: Double
    let capacity: Double
    let connections: Int
    let outages: [Range<Double>]
    private var tokens: Double
    private var refilledAt = 0.0

    init(name: String, latency: Double, capacity: Double, connections: Int = 64, outages: [Range<Double>] = []) {
        self.name = name
        self.latency = latency
        self.capacity = capacity
        self.connections = connections
        self.outages = outages
        tokens = capacity * 0.05
    }

    func isDown(at now: Double) -> Bool { outages.contains { $0.contains(now) } }

    /// The reply to a message handed over at `now`, and when it arrives.
    mutating func answer(at now: Double) -> (signal: RelaySignal, at: Double) {
        if isDown(at: now) { return (.relayFailed, now + 0.001) }
        tokens = min(capacity * 0.05, tokens + (now - refilledAt) * capacity)
        refilledAt = now
        if tokens >= 1 {
            tokens -= 1
            return (.delivered(latency: latency), now + latency)
        }
        return (.throttled(latency: latency, atRecipient: false), now + latency)
    }
}
