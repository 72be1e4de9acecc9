import FacteurConfig
import Testing
@testable import Relaying

/// A generator with a fixed sequence, so jitter is testable.
struct SequenceGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state
    }
}

@Suite struct RetryScheduleTests {
    @Test func exponentialBackoffCappedWithJitter() {
        let schedule = RetrySchedule(RetryConfiguration())
        #expect(schedule.maxAge == 14_400)
        #expect(schedule.baseDelay(afterAttempt: 1) == 60)
        #expect(schedule.baseDelay(afterAttempt: 2) == 120)
        #expect(schedule.baseDelay(afterAttempt: 5) == 960)
        #expect(schedule.baseDelay(afterAttempt: 7) == 3_600)
        #expect(schedule.baseDelay(afterAttempt: 500) == 3_600)
        #expect(schedule.delay(afterAttempt: 1, unit: 0) == 48)
        #expect(schedule.delay(afterAttempt: 1, unit: 0.5) == 60)
        var generator = SequenceGenerator(state: 42)
        var delays = Set<Double>()
        for _ in 0..<100 {
            guard case .retry(let at) = schedule.decide(attempts: 3, firstAttempt: 0, now: 1_000, using: &generator) else {
                Issue.record("gave up too early"); return
            }
            #expect(at >= 1_000 + 240 * 0.8 && at <= 1_000 + 240 * 1.2)
            delays.insert(at)
        }
        #expect(delays.count > 50, "jitter spreads retries")
    }

    @Test func givesUpAfterMaxAgeAndWaitsForAPausedDomain() {
        let schedule = RetrySchedule(maxAge: 3_600, initialDelay: 60, maxDelay: 600, jitter: 0)
        var generator = SequenceGenerator(state: 1)
        #expect(schedule.decide(attempts: 9, firstAttempt: 0, now: 3_000, using: &generator) == .giveUp)
        #expect(schedule.decide(attempts: 9, firstAttempt: 0, now: 2_000, using: &generator) == .retry(at: 2_600))
        #expect(schedule.decide(attempts: 1, firstAttempt: 0, now: 0, domainPausedUntil: 500, using: &generator) == .retry(at: 500))
    }

    @Test func domainBackoffDoublesAndEndsOnDelivery() {
        var backoff = DomainBackoff(schedule: RetrySchedule(maxAge: 3_600, initialDelay: 40, maxDelay: 600, jitter: 0))
        #expect(backoff.recordDeferral(domain: "slow.example", at: 0, unit: 0.5) == 10)
        #expect(backoff.recordDeferral(domain: "slow.example", at: 1, unit: 0.5) == 21)
        #expect(backoff.pausedUntil(domain: "slow.example", at: 5) == 21)
        #expect(backoff.pausedUntil(domain: "fast.example", at: 5) == nil)
        backoff.recordDelivery(domain: "slow.example")
        #expect(backoff.pausedUntil(domain: "slow.example", at: 5) == nil)
    }
}
