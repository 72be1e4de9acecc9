/// Deliveries per second over the last second, in ten 100 ms slots: what a relay or provider
/// actually accepted, which the controller falls back to when it has no rate of its own yet.
public struct GoodputMeter: Sendable, Equatable {
    static let slots = 10
    static let slotLength = 0.1
    private var counts = [Int](repeating: 0, count: slots)
    private var currentSlot = 0

    public init() {}

    public mutating func record(at now: Double) {
        advance(to: now)
        counts[Self.index(currentSlot)] += 1
    }

    /// Messages per second over the last second.
    public mutating func rate(at now: Double) -> Double {
        advance(to: now)
        return Double(counts.reduce(0, +)) / (Double(Self.slots) * Self.slotLength)
    }

    private mutating func advance(to now: Double) {
        let slot = Int((now / Self.slotLength).rounded(.down))
        guard slot > currentSlot else { return }
        let cleared = min(Self.slots, slot - currentSlot)
        for step in 1...cleared { counts[Self.index(currentSlot + step)] = 0 }
        currentSlot = slot
    }

    private static func index(_ slot: Int) -> Int { ((slot % slots) + slots) % slots }
}
