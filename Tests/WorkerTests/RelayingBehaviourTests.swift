import FacteurTesting
import Foundation
import MariaDB
import PHPList
import Relaying
import SMTP
import Testing
import Worker

/// Speed control and head-of-line blocking with a scriptable relay (aiosmtpd).
@Suite(.serialized) struct RelayingBehaviourTests {
    /// The relay's allowed rate, sampled while a run goes on.
    actor RateSamples {
        var values: [Double] = []
        func add(_ value: Double) { values.append(value) }
    }

    @Test func tempfailsLowerTheRateAndRetriesDeliverEverything() async throws {
        let harness = try await WorkerHarness.start()
        let sink = try await AiosmtpdSink.start(tempfailShare: 0.3)
        var settings = try harness.settings(connections: 8)
        settings.relay = try SMTPRelayConfiguration(url: sink.url(), name: "tempfailing")
        settings.relaying.pool = RelayPoolState.Settings(controller: .init(startRate: 200))
        settings.retryDelay = .milliseconds(300)
        settings.maxRetryPasses = 3
        settings.relaying.retry = RetrySchedule(maxAge: 600, initialDelay: 0.5, maxDelay: 2, jitter: 0.1)
        let runner = try harness.runner(settings)
        let samples = RateSamples()
        let sampler = Task {
            while !Task.isCancelled {
                await samples.add(runner.relayPool.relayStatus()[0].allowedRate)
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        let report = try await runner.processQueue()
        sampler.cancel()
        let rates = await samples.values
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.campaigns.map(\.ending) == [.finished])
        let received = try sink.messages().filter { String(decoding: $0.data, as: UTF8.self).contains("\nX-MessageID: 2") }
        #expect(received.count == 1996)
        #expect(Set(received.flatMap(\.recipients)).count == 1996)
        // Each refused subscriber waited in facteur_retries with its usermessage row 'todo'; none is left.
        #expect(try await RetryStore(pool: harness.pool).pendingCount(campaign: 2) == 0)
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_usermessage WHERE messageid = 2 AND status = 'sent'") == 1996)
        let stats = try await ProviderStatsStore(pool: harness.pool).totals(since: Date().addingTimeInterval(-3_600))
        #expect(stats.reduce(0) { $0 + $1.sent } == 1996)
        #expect(stats.reduce(0) { $0 + $1.deferred } > 400, "the 451s are counted as deferrals per provider")
        #expect(try await RelayStateStore(pool: harness.pool).all().map(\.relay) == ["tempfailing"])
        let lowest = try #require(rates.min())
        let lowestIndex = rates.firstIndex(of: lowest)!
        let final = rates.last ?? 0
        print(String(format: "451 4.7.1 to 30%%: rate from 200 down to %.1f, back to %.1f at the end", lowest, final))
        #expect(lowest < 200 * 0.85, "the controller lowered the relay's rate")
        #expect(final > lowest * 1.05 && lowestIndex < rates.count - 1, "the rate climbed back once the errors stopped")
        sink.stop()
        await harness.stop()
    }

    @Test func slowDomainDoesNotHoldBackTheOthers() async throws {
        let harness = try await WorkerHarness.start()
        let sink = try await AiosmtpdSink.start(slowSeconds: 10, slowDomain: "example.de")
        var settings = try harness.settings(connections: 8)
        settings.relays = [WorkerRelay(smtp: try SMTPRelayConfiguration(url: sink.url(), name: "relay"), connections: 8)]
        settings.relaying.pool = RelayPoolState.Settings(controller: .init(startRate: 1_000_000))
        let others = try await harness.count(
            """
            SELECT COUNT(DISTINCT u.id) FROM phplist_user_user u JOIN phplist_listuser lu ON lu.userid = u.id
            JOIN phplist_listmessage lm ON lm.listid = lu.listid AND lm.messageid = 2
            WHERE u.confirmed AND NOT u.blacklisted AND u.email NOT LIKE '%@example.de' AND u.email LIKE '%@%.%'
            """)
        let runner = try harness.runner(settings)
        let run = Task { try await runner.processQueue() }
        let start = ContinuousClock.now
        var delivered: [AiosmtpdSink.Message] = []
        func isSlow(_ message: AiosmtpdSink.Message) -> Bool { message.recipients.contains { $0.lowercased().contains("@example.de") } }
        while ContinuousClock.now - start < .seconds(90) {
            delivered = try sink.messages()
            if delivered.filter({ !isSlow($0) }).count >= others - 10 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let elapsed = ContinuousClock.now - start
        let slow = delivered.filter(isSlow).count
        print("slow domain: \(delivered.count - slow) of \(others) other messages delivered in \(elapsed), \(slow) to example.de")
        #expect(delivered.count - slow >= others - 10, "messages to other domains waited behind the slow one")
        #expect(slow < 50, "the slow domain's messages are still pending")
        runner.requestShutdown("test done")
        _ = try? await run.value
        sink.stop()
        await harness.stop()
    }
}
