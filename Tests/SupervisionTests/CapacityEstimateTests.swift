import Foundation
import Testing
@testable import Supervision

@Suite struct CapacityEstimateTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func allowedRatesOfClosedRelaysAddUpAndOpenCircuitsCountNothing() {
        let estimate = CapacityEstimate.estimate(relays: [
            .init(name: "a", circuit: "closed", allowedRate: 10, measuredRate: 4),
            .init(name: "b", circuit: "half-open", allowedRate: 2.5, measuredRate: 1),
            .init(name: "c", circuit: "open", allowedRate: 50, measuredRate: 0),
        ], measuredPerSecond: 5, queueRemaining: 0, now: now)
        #expect(estimate.achievablePerSecond == 12.5)
        #expect(estimate.achievablePerHour == 45_000)
        #expect(estimate.achievablePerDay == 1_080_000)
        #expect(estimate.measuredPerHour == 18_000)
        #expect(estimate.isLowerBound == false)
        #expect(estimate.openRelays == ["c"])
    }

    @Test func aRelayWithoutLimitCountsAtItsMeasuredRateAsALowerBound() {
        let estimate = CapacityEstimate.estimate(relays: [
            .init(name: "unlimited", circuit: "closed", allowedRate: nil, measuredRate: 30),
            .init(name: "limited", circuit: "closed", allowedRate: 5, measuredRate: 5),
        ], measuredPerSecond: 35, queueRemaining: 0, now: now)
        #expect(estimate.achievablePerSecond == 35)
        #expect(estimate.isLowerBound)
    }

    @Test func whatWasMeasuredIsAchievableWhateverTheLimitsSay() {
        let estimate = CapacityEstimate.estimate(relays: [.init(name: "a", circuit: "closed", allowedRate: 1, measuredRate: 3)],
                                                 measuredPerSecond: 3, queueRemaining: 0, now: now)
        #expect(estimate.achievablePerSecond == 3)
    }

    @Test func queueDoneAtTheMeasuredRateAndAtCapacity() {
        let estimate = CapacityEstimate.estimate(relays: [.init(name: "a", circuit: "closed", allowedRate: 20, measuredRate: 10)],
                                                 measuredPerSecond: 10, queueRemaining: 3601, now: now)
        #expect(estimate.queueRemaining == 3601)
        #expect(estimate.queueDoneAt == now.addingTimeInterval(361)) // 360.1 s, rounded up
        #expect(estimate.queueDoneAtCapacity == now.addingTimeInterval(181))
    }

    @Test func nothingMeasuredMeansNoDoneTimeAndNoRelayMeansNoCapacity() {
        let idle = CapacityEstimate.estimate(relays: [], measuredPerSecond: 0, queueRemaining: 100, now: now)
        #expect(idle.achievablePerSecond == nil)
        #expect(idle.achievablePerDay == nil)
        #expect(idle.queueDoneAt == nil)
        #expect(idle.queueDoneAtCapacity == nil)
        let empty = CapacityEstimate.estimate(relays: [], measuredPerSecond: 0, queueRemaining: 0, now: now)
        #expect(empty.queueDoneAt == now)
    }

    @Test func bounceShareOfNothingIsUnknownNotZero() {
        #expect(CapacityEstimate.share(3, of: 0) == nil)
        #expect(CapacityEstimate.share(1, of: 4) == 0.25)
    }
}
