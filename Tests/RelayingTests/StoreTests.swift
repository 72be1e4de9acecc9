import FacteurTesting
import Foundation
import MariaDB
import Testing
@testable import Relaying

/// The facteur_* tables of migrations/0003_relaying.sql, on the real test server.
@Suite struct StoreTests {
    static func withDatabase(_ body: (MariaDBPool) async throws -> Void) async throws {
        let database = try await TestDatabase.create(loading: .empty)
        let pool = database.pool(maxConnections: 2)
        do {
            let migrations = try Migration.load(from: TestServices.repositoryRoot.appendingPathComponent("migrations"))
            _ = try await MigrationRunner(pool: pool, migrations: migrations).migrate()
            try await body(pool)
        } catch {
            await pool.shutdown()
            try? await database.drop()
            throw error
        }
        await pool.shutdown()
        try await database.drop()
    }

    @Test func providerStatsAddUpFromBothSides() async throws {
        try await Self.withDatabase { pool in
            let store = ProviderStatsStore(pool: pool)
            let base = Date(timeIntervalSince1970: 1_800_000_000) // a window start (multiple of 300)
            var accumulator = ProviderStatsAccumulator()
            let table = ProviderTable.shipped
            for index in 0..<10 {
                accumulator.record(provider: table.provider(forAddress: "u\(index)@gmail.com"), .delivered(latency: 0.1),
                                   at: base.addingTimeInterval(Double(index)))
            }
            accumulator.record(provider: table.provider(forAddress: "x@googlemail.com"), .deferred(latency: 0.1), at: base.addingTimeInterval(20))
            accumulator.record(provider: table.provider(forAddress: "x@orange.fr"), .throttled(latency: 0.1, atRecipient: true), at: base.addingTimeInterval(400))
            accumulator.record(provider: "gmail", .rejected(latency: 0.1), at: base)
            let counts = accumulator.drain()
            #expect(accumulator.isEmpty)
            #expect(counts == [
                ProviderWindowCounts(provider: "gmail", windowStart: base, sent: 10, deferred: 1),
                ProviderWindowCounts(provider: "orange", windowStart: base.addingTimeInterval(300), deferred: 1),
            ])
            try await store.add(counts)
            // The bounce processor adds its counts to the same rows.
            try await store.add([ProviderWindowCounts(provider: "gmail", windowStart: base.addingTimeInterval(299), softBounces: 2, hardBounces: 1)])
            try await store.add([ProviderWindowCounts(provider: "gmail", windowStart: base, sent: 5)])

            let rows = try await pool.query("SELECT provider, window_start, sent, deferred, soft_bounces, hard_bounces FROM facteur_provider_stats ORDER BY provider")
            #expect(rows.count == 2)
            #expect(try rows[0].decode("sent", as: Int.self) == 15)
            #expect(try rows[0].decode("soft_bounces", as: Int.self) == 2)
            #expect(try rows[0].decode("hard_bounces", as: Int.self) == 1)
            #expect(try rows[0].decode("window_start", as: Date.self) == base)

            let totals = try await store.totals(since: base)
            #expect(totals.map(\.provider) == ["gmail", "orange"])
            #expect(totals[0].troubled == 3)
            #expect(try await store.totals(since: base.addingTimeInterval(300)).map(\.provider) == ["orange"])
            #expect(try await store.prune(before: base.addingTimeInterval(300)) == 1)
        }
    }

    @Test func retriesAreScheduledDueAndRemoved() async throws {
        try await Self.withDatabase { pool in
            let store = RetryStore(pool: pool)
            let first = Date(timeIntervalSince1970: 1_800_000_000)
            let retries = (1...5).map {
                PendingRetry(campaign: 7, subscriber: $0, attempts: 1, firstAttempt: first,
                             nextAttempt: first.addingTimeInterval(Double($0) * 60), lastReply: "451 4.7.1 try later", domain: "example.org")
            }
            try await store.schedule(retries)
            try await store.schedule([PendingRetry(campaign: 8, subscriber: 1, attempts: 1, firstAttempt: first,
                                                   nextAttempt: first, lastReply: "", domain: "x")])
            #expect(try await store.pendingCount(campaign: 7) == 5)
            #expect(try await store.nextDue(campaign: 7) == first.addingTimeInterval(60))
            #expect(try await store.nextDue(campaign: 9) == nil)
            let due = try await store.due(campaign: 7, at: first.addingTimeInterval(180))
            #expect(due.map(\.subscriber) == [1, 2, 3])
            #expect(due[0].lastReply == "451 4.7.1 try later")

            // A second failure updates attempts and time but keeps the first attempt.
            var again = due[0]
            again.attempts = 2
            again.firstAttempt = first.addingTimeInterval(999)
            again.nextAttempt = first.addingTimeInterval(1_000.4)
            again.lastReply = "451 4.7.1 still"
            try await store.schedule([again])
            let updated = try await store.all(campaign: 7).first { $0.subscriber == 1 }
            #expect(updated?.attempts == 2)
            #expect(updated?.firstAttempt == first)
            #expect(updated?.nextAttempt == first.addingTimeInterval(1_001), "rounded up, never earlier")

            try await store.remove(campaign: 7, subscribers: [2, 3, 4])
            #expect(try await store.all(campaign: 7).map(\.subscriber) == [1, 5])
            #expect(try await store.pendingCount(campaign: 8) == 1)
        }
    }

    @Test func relayStateIsPublishedPerWorker() async throws {
        try await Self.withDatabase { pool in
            let store = RelayStateStore(pool: pool)
            var state = RelayPoolState(relays: [RelayDescriptor(name: "a", maxRate: 40), RelayDescriptor(name: "b")])
            for step in 0..<3 {
                if case .granted(let lease) = state.reserve(provider: "p", domain: "d", at: Double(step)) {
                    state.complete(lease, lease.relayName == "b" ? .relayFailed : .delivered(latency: 0.01), at: Double(step))
                }
            }
            let date = Date(timeIntervalSince1970: 1_800_000_000)
            try await store.publish(state.relayStatus(at: 3), worker: "w1", at: date)
            try await store.publish(state.relayStatus(at: 3), worker: "w1", at: date.addingTimeInterval(5))
            try await store.publish(state.relayStatus(at: 3), worker: "w2", at: date)
            let rows = try await store.all()
            #expect(rows.count == 4)
            let a = try #require(rows.first { $0.relay == "a" && $0.workerID == "w1" })
            #expect(a.circuit == "closed")
            #expect(a.allowedRate == state.relayStatus(at: 3)[0].allowedRate)
            #expect(a.updated == date.addingTimeInterval(5))
            try await store.publish(providers: [ProviderStatus(name: "gmail", allowedRate: 12.5, inFlight: 3),
                                                ProviderStatus(name: "example.org", allowedRate: .infinity, inFlight: 1)],
                                    worker: "w1", at: date)
            #expect(try await store.providers().map(\.provider) == ["gmail"])
            #expect(try await store.providers().first?.allowedRate == 12.5)
            try await store.remove(worker: "w1")
            #expect(try await store.all().map(\.workerID) == ["w2", "w2"])
            #expect(try await store.providers().isEmpty)
        }
    }
}
