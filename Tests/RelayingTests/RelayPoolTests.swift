import Testing
@testable import Relaying

@Suite struct RelayPoolTests {
    /// Offers a message every millisecond (1,000/s, below the relays' budgets), answered at once;
    /// returns how many attempts each relay got before `messages` were delivered.
    static func split(_ pool: inout RelayPoolState, messages: Int, signal: (Int) -> RelaySignal = { _ in .delivered(latency: 0.001) }) -> [Int] {
        var counts = Array(repeating: 0, count: pool.relayNames.count)
        var now = 0.0
        var delivered = 0
        while delivered < messages {
            switch pool.reserve(provider: "example.org", domain: "example.org", at: now) {
            case .granted(let lease):
                counts[lease.relay] += 1
                let answer = signal(lease.relay)
                pool.complete(lease, answer, at: now)
                if case .delivered = answer { delivered += 1 }
                now += 0.001
            case .wait(let until, _):
                now = until.isFinite ? max(until, now + 0.0001) : now + 0.01
            }
        }
        return counts
    }

    @Test func splitFollowsWeightsWhenRelaysHaveRoom() {
        var pool = RelayPoolState(relays: [RelayDescriptor(name: "a", weight: 1, maxRate: 0),
                                           RelayDescriptor(name: "b", weight: 3, maxRate: 0)],
                                  settings: .init(controller: .init(startRate: 1_000_000)))
        let counts = Self.split(&pool, messages: 2_000)
        #expect(counts == [500, 1_500])
    }

    @Test func unhealthyRelayIsAvoidedAndItsMessagesGoElsewhere() {
        var pool = RelayPoolState(relays: [RelayDescriptor(name: "a"), RelayDescriptor(name: "b")],
                                  settings: .init(controller: .init(startRate: 1_000_000)))
        let counts = Self.split(&pool, messages: 1_000) { $0 == 0 ? .relayFailed : .delivered(latency: 0.001) }
        // Three failures open a's circuit; afterwards only probes every 1, 2, 4 … s reach it.
        #expect(counts[0] < 10)
        #expect(pool.relayStatus(at: 0)[0].circuit == .open)
        #expect(pool.relayStatus(at: 0)[1].delivered == 1_000)
    }

    @Test func allRelaysDownMeansWaitUntilTheNextProbe() {
        var pool = RelayPoolState(relays: [RelayDescriptor(name: "a")], settings: .init(controller: .init(startRate: 1_000)))
        for step in 0..<3 {
            guard case .granted(let lease) = pool.reserve(provider: "p", domain: "d", at: Double(step) * 0.01) else {
                Issue.record("relay should be tried"); return
            }
            pool.complete(lease, .relayFailed, at: Double(step) * 0.01)
        }
        #expect(pool.reserve(provider: "p", domain: "d", at: 0.5) == .wait(until: 1.02, reason: .allRelaysDown))
        guard case .granted(let probe) = pool.reserve(provider: "p", domain: "d", at: 1.02) else {
            Issue.record("probe expected"); return
        }
        #expect(pool.relayStatus(at: 1.02)[0].circuit == .halfOpen)
        pool.complete(probe, .delivered(latency: 0.01), at: 1.03)
        #expect(pool.relayStatus(at: 1.03)[0].circuit == .closed)
    }

    @Test func ceilingsHold() {
        var pool = RelayPoolState(relays: [RelayDescriptor(name: "a", maxRate: 50, dailyCap: 120)],
                                  settings: .init(controller: .init(startRate: 10)))
        var now = 0.0
        var grants: [Double] = []
        while now < 10 {
            if case .granted(let lease) = pool.reserve(provider: "p", domain: "d", at: now) {
                grants.append(now)
                pool.complete(lease, .delivered(latency: 0.001), at: now)
            }
            now += 0.001
        }
        #expect(grants.count == 120, "daily cap")
        // Never more than 50/s (plus the pacer's burst of 1) in any second.
        for start in stride(from: 0.0, to: 9.0, by: 0.25) {
            #expect(grants.filter { $0 >= start && $0 < start + 1 }.count <= 51)
        }
        #expect(pool.relayStatus(at: now)[0].allowedRate <= 50)
    }

    @Test func connectionsLimitMessagesInFlight() {
        var pool = RelayPoolState(relays: [RelayDescriptor(name: "a", maxConnections: 3)],
                                  settings: .init(controller: .init(startRate: 1_000_000)))
        var leases: [RelayLease] = []
        for _ in 0..<3 {
            if case .granted(let lease) = pool.reserve(provider: "p", domain: "d", at: 0) { leases.append(lease) }
        }
        #expect(leases.count == 3)
        #expect(pool.reserve(provider: "p", domain: "d", at: 0) == .wait(until: .infinity, reason: .relaysBusy))
        pool.complete(leases[0], .delivered(latency: 0.1), at: 0.1)
        if case .granted = pool.reserve(provider: "p", domain: "d", at: 0.1) {} else { Issue.record("a connection was free") }
    }

    @Test func providerLimitWaitsWithoutBlockingOtherProviders() {
        let table = ProviderTable(providers: [.init(name: "slowmail", domains: ["slow.example"], maxRate: 1)])
        var pool = RelayPoolState(relays: [RelayDescriptor(name: "a", maxConnections: 100)], providers: table,
                                  settings: .init(controller: .init(startRate: 1_000_000)))
        var queues = PendingQueues<String>()
        for index in 0..<100 { queues.enqueue("slow\(index)", domain: "slow.example", provider: "slowmail") }
        for index in 0..<100 { queues.enqueue("fast\(index)", domain: "fast.example", provider: "fast.example") }
        var sent: [String] = []
        while let (item, lease) = queues.next(from: &pool, at: 0) {
            sent.append(item)
            pool.complete(lease, .delivered(latency: 0.001), at: 0)
        }
        #expect(sent.filter { $0.hasPrefix("fast") }.count == 100)
        #expect(sent.filter { $0.hasPrefix("slow") }.count == 1)
        let wake = try! #require(queues.nextWake)
        #expect(wake > 0 && wake <= 1)
    }

    @Test func slowRelayDoesNotHoldMessagesThatAnotherRelayCanTake() {
        // Relay "slow" answers after 10 s: its two connections fill up, the rest goes through "fast".
        var pool = RelayPoolState(relays: [RelayDescriptor(name: "slow", weight: 10, maxConnections: 2),
                                           RelayDescriptor(name: "fast", weight: 1, maxConnections: 2)],
                                  settings: .init(controller: .init(startRate: 1_000_000)))
        var queues = PendingQueues<Int>()
        for index in 0..<50 { queues.enqueue(index, domain: "d\(index % 5).example", provider: "d\(index % 5).example") }
        var pendingSlow: [RelayLease] = []
        var delivered = 0
        var now = 0.0
        while now < 1 {
            while let (_, lease) = queues.next(from: &pool, at: now) {
                if lease.relayName == "slow" { pendingSlow.append(lease) } else {
                    pool.complete(lease, .delivered(latency: 0.001), at: now)
                    delivered += 1
                }
            }
            now += 0.001
        }
        #expect(pendingSlow.count == 2)
        #expect(delivered == 48)
    }
}

@Suite struct ProviderShareTests {
    /// A destination whose messages never finish keeps at most half the connections while others wait,
    /// and may use them all when nothing else is queued.
    @Test func slowProviderKeepsToItsShareOnlyWhileOthersWait() {
        var pool = RelayPoolState(relays: [RelayDescriptor(name: "a", maxConnections: 8)],
                                  settings: .init(controller: .init(startRate: 1_000_000)))
        var queues = PendingQueues<String>()
        for index in 0..<20 { queues.enqueue("slow\(index)", domain: "tarpit.example", provider: "tarpit.example") }
        for index in 0..<20 { queues.enqueue("fast\(index)", domain: "fast.example", provider: "fast.example") }
        var slowInFlight = 0
        var fastDelivered = 0
        var now = 0.0
        while now < 1 {
            while let (item, lease) = queues.next(from: &pool, at: now) {
                if item.hasPrefix("slow") { slowInFlight += 1 } else {
                    pool.complete(lease, .delivered(latency: 0.001), at: now)
                    fastDelivered += 1
                }
            }
            now += 0.001
        }
        #expect(fastDelivered == 20)
        #expect(slowInFlight == 8, "with nothing else queued the slow destination may use every connection")

        var busy = RelayPoolState(relays: [RelayDescriptor(name: "a", maxConnections: 8)],
                                  settings: .init(controller: .init(startRate: 1_000_000)))
        #expect((0..<4).allSatisfy { _ in
            if case .granted = busy.reserve(provider: "tarpit.example", domain: "tarpit.example", at: 0, othersWaiting: true) { return true }
            return false
        })
        #expect(busy.reserve(provider: "tarpit.example", domain: "tarpit.example", at: 0, othersWaiting: true)
                == .wait(until: .infinity, reason: .providerLimit))
        if case .granted = busy.reserve(provider: "fast.example", domain: "fast.example", at: 0, othersWaiting: true) {} else {
            Issue.record("another destination still gets a connection")
        }
    }
}

@Suite struct ProviderFeedbackTests {
    /// Soft bounces counted by the bounce processor slow a provider down; a few do not.
    @Test func softBouncesAboveFivePercentSlowTheProviderDown() {
        var pool = RelayPoolState(relays: [RelayDescriptor(name: "a", maxConnections: 100)],
                                  settings: .init(controller: .init(startRate: 1_000_000)))
        var now = 0.0
        for _ in 0..<200 {
            if case .granted(let lease) = pool.reserve(provider: "gmail", domain: "gmail.com", at: now) {
                pool.complete(lease, .delivered(latency: 0.001), at: now)
            }
            now += 0.005
        }
        pool.applyProviderFeedback(provider: "gmail", sent: 1_000, troubled: 40, at: now)
        #expect(pool.providerStatus().first { $0.name == "gmail" }?.allowedRate == .infinity)
        pool.applyProviderFeedback(provider: "gmail", sent: 1_000, troubled: 80, at: now)
        let rate = pool.providerStatus().first { $0.name == "gmail" }?.allowedRate ?? 0
        #expect(rate.isFinite && rate > 100 && rate < 200, "about 85 % of the 200/s delivered, found \(rate)")
    }
}
