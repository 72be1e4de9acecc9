import Testing
@testable import Relaying

@Suite struct RateControllerTests {
    @Test func slowStartThenMultiplicativeDecreaseOncePerRound() {
        var controller = RateController(settings: .init(startRate: 10))
        #expect(controller.rate == 10)
        // Each delivery adds 1 message/s, but never more than twice the deliveries of the last second:
        // 10 deliveries in the first second allow 15/s, not 20/s.
        var now = 0.0
        for _ in 0..<10 {
            now += 0.1
            controller.record(.delivered(latency: 0.01), sentAt: now - 0.01, at: now)
        }
        #expect(controller.rate == 15)
        #expect(controller.isInSlowStart)
        controller.record(.throttled(latency: 0.01, atRecipient: false), sentAt: now, at: now + 0.01)
        #expect(abs(controller.rate - 12.75) < 1e-9)
        // Replies to messages sent before the cut say nothing about the new rate.
        controller.record(.throttled(latency: 0.01, atRecipient: false), sentAt: now - 0.001, at: now + 0.02)
        #expect(abs(controller.rate - 12.75) < 1e-9)
        #expect(controller.decreases == 1)
        #expect(!controller.isInSlowStart)
        // A message sent after the cut and refused again cuts again.
        controller.record(.throttled(latency: 0.01, atRecipient: false), sentAt: now + 0.02, at: now + 0.03)
        #expect(abs(controller.rate - 12.75 * 0.85) < 1e-9)
    }

    @Test func additiveIncreaseIsSlowAndValidatedByDeliveries() {
        var controller = RateController(settings: .init(startRate: 100))
        controller.slowDown(sentAt: 0, at: 0) // 85, out of slow start
        var now = 0.0
        // 85 deliveries in a second: +max(2 %, 1/rate) each → about +1.7/s.
        for _ in 0..<85 {
            now += 1.0 / 85
            controller.record(.delivered(latency: 0.01), sentAt: now, at: now)
        }
        #expect(controller.rate > 85 && controller.rate < 88)
        // Deliveries far below the rate do not raise it beyond twice what was delivered.
        var idle = RateController(settings: .init(startRate: 10))
        for step in 0..<100 { idle.record(.delivered(latency: 0.01), sentAt: Double(step), at: Double(step)) }
        #expect(idle.rate <= 10)
    }

    @Test func ceilingIsNeverExceeded() {
        var controller = RateController(settings: .init(startRate: 10), ceiling: 25)
        for step in 0..<10_000 {
            let now = Double(step) * 0.001
            controller.record(.delivered(latency: 0.001), sentAt: now, at: now)
            #expect(controller.rate <= 25)
        }
        #expect(controller.rate == 25)
    }

    @Test func unlimitedProviderTakesItsFirstRateFromDeliveries() {
        var controller = RateController(settings: .init(), unlimited: true)
        #expect(controller.rate == .infinity)
        for step in 0..<50 { controller.record(.delivered(latency: 0.01), sentAt: Double(step) * 0.02, at: Double(step) * 0.02) }
        controller.record(.throttled(latency: 0.01, atRecipient: true), sentAt: 1, at: 1)
        #expect(controller.rate.isFinite)
        #expect(controller.rate > 30 && controller.rate < 50)
    }

    @Test func resumeAfterOutageClimbsBackQuickly() {
        var controller = RateController(settings: .init(startRate: 10))
        controller.slowDown(sentAt: 0, at: 0)
        let before = controller.rate
        controller.suspend()
        controller.resume(at: 200)
        #expect(controller.rate == max(10, before / 8))
        #expect(controller.threshold == before * 0.85)
    }
}

@Suite struct RateControllerEpisodeTests {
    /// A relay refusing 30 % of recipients whatever the speed: the rate drops, then holds at a floor
    /// (35 % of where the trouble began) instead of sinking to nothing, and climbs once errors stop.
    @Test func persistentErrorsHoldAtAFloorThenRecover() {
        var controller = RateController(settings: .init(startRate: 300))
        controller.slowDown(sentAt: 0, at: 0) // leave slow start at 255
        var now = 10.0
        var lowest = controller.rate
        for step in 0..<3_000 {
            now += 0.01
            let signal: RelaySignal = step % 10 < 3 ? .throttled(latency: 0.01, atRecipient: true) : .delivered(latency: 0.01)
            controller.record(signal, sentAt: now - 0.005, at: now)
            lowest = min(lowest, controller.rate)
        }
        #expect(lowest >= 255 * 0.35 - 1e-9)
        #expect(controller.rate < 255 * 0.5)
        let held = controller.rate
        for _ in 0..<2_000 {
            now += 0.01
            controller.record(.delivered(latency: 0.01), sentAt: now, at: now)
        }
        #expect(controller.rate > held * 1.3, "climbs back once the errors stop")
    }
}
