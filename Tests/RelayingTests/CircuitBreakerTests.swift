import Testing
@testable import Relaying

@Suite struct CircuitBreakerTests {
    @Test func opensAfterConsecutiveFailuresAndProbesWithGrowingBackoff() {
        var breaker = CircuitBreaker(settings: .init(failureThreshold: 3, initialBackoff: 1, maxBackoff: 4))
        breaker.recordFailure(at: 0)
        breaker.recordFailure(at: 0.1)
        #expect(breaker.state == .closed)
        breaker.recordFailure(at: 0.2)
        #expect(breaker.state == .open)
        #expect(!breaker.allowsAttempt(at: 1.1))
        #expect(breaker.allowsAttempt(at: 1.2))
        breaker.attemptStarted(at: 1.2)
        #expect(breaker.state == .halfOpen)
        #expect(!breaker.allowsAttempt(at: 1.2), "one probe at a time")
        breaker.recordFailure(at: 1.3)
        #expect(breaker.state == .open)
        #expect(breaker.probeAt == 3.3) // back-off doubled to 2 s
        breaker.attemptStarted(at: 3.3)
        breaker.recordFailure(at: 3.4)
        #expect(breaker.probeAt == 7.4) // 4 s
        breaker.attemptStarted(at: 7.4)
        breaker.recordFailure(at: 7.5)
        #expect(breaker.probeAt == 11.5) // capped at 4 s
        breaker.attemptStarted(at: 11.5)
        breaker.recordSuccess(at: 11.6)
        #expect(breaker.state == .closed)
        #expect(breaker.allowsAttempt(at: 11.6))
    }

    @Test func successBetweenFailuresKeepsItClosed() {
        var breaker = CircuitBreaker()
        for step in 0..<10 {
            breaker.recordFailure(at: Double(step))
            breaker.recordFailure(at: Double(step))
            breaker.recordSuccess(at: Double(step))
        }
        #expect(breaker.state == .closed)
    }
}
