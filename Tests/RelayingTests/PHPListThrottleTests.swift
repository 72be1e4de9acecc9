import FacteurConfig
import Testing
@testable import Relaying

/// PHPList's limits as processqueue applies them; 0 = no limit.
@Suite struct PHPListThrottleTests {
    @Test func zeroMeansNoLimit() {
        var throttle = PHPListThrottle(PHPListQueueSettings(batchSize: 0, batchPeriod: 3600, throttle: 0,
                                                            useDomainThrottle: false))
        for step in 0..<10_000 {
            let now = Double(step) * 0.0001
            #expect(throttle.earliest(domain: "a.example", at: now).time == now)
            throttle.record(domain: "a.example", at: now)
        }
    }

    @Test func batchSizePerPeriodIsASlidingWindow() {
        var throttle = PHPListThrottle(PHPListQueueSettings(batchSize: 10, batchPeriod: 60))
        for step in 0..<10 { throttle.record(domain: "a.example", at: 5 + Double(step)) }
        let blocked = throttle.earliest(domain: "b.example", at: 20)
        #expect(blocked.limit == .batch)
        #expect(blocked.time == 65) // the message sent at 5 s leaves the window at 65 s
        #expect(throttle.earliest(domain: "b.example", at: 65).time == 65)
        throttle.record(domain: "b.example", at: 65)
        #expect(throttle.earliest(domain: "b.example", at: 65.5).time == 66)
    }

    @Test func throttleSpacesMessagesAndAutothrottleSpreadsTheBatch() {
        var spaced = PHPListThrottle(PHPListQueueSettings(throttle: 2))
        spaced.record(domain: "a", at: 10)
        let spacedWait = spaced.earliest(domain: "b", at: 11)
        #expect(spacedWait.time == 12)
        #expect(spacedWait.limit == .spacing)
        var auto = PHPListThrottle(PHPListQueueSettings(batchSize: 100, batchPeriod: 50, autoThrottle: true))
        #expect(auto.spacing == 0.5)
        auto.record(domain: "a", at: 0)
        #expect(auto.earliest(domain: "a", at: 0.1).time == 0.5)
        // Without autothrottle the batch may go at once.
        let burst = PHPListThrottle(PHPListQueueSettings(batchSize: 100, batchPeriod: 50, autoThrottle: false))
        #expect(burst.spacing == 0)
    }

    @Test func domainThrottleOnlyWhenEnabledInAlignedPeriods() {
        var off = PHPListThrottle(PHPListQueueSettings(useDomainThrottle: false, domainBatchSize: 1, domainBatchPeriod: 120))
        off.record(domain: "a.example", at: 1)
        #expect(off.earliest(domain: "a.example", at: 2).time == 2)

        var on = PHPListThrottle(PHPListQueueSettings(useDomainThrottle: true, domainBatchSize: 2, domainBatchPeriod: 120))
        on.record(domain: "a.example", at: 130)
        on.record(domain: "a.example", at: 131)
        let domainWait = on.earliest(domain: "a.example", at: 132)
        #expect(domainWait.time == 240)
        #expect(domainWait.limit == .domain)
        #expect(on.earliest(domain: "b.example", at: 132).time == 132)
        #expect(on.earliest(domain: "a.example", at: 240).time == 240)
    }
}
