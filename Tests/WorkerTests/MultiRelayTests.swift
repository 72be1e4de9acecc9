import FacteurTesting
import Foundation
import MariaDB
import PHPList
import Relaying
import SMTP
import Testing
import Worker

/// The sample campaign (1,996 deliverable subscribers) through several relays on distinct loopback
/// addresses (127.0.0.2, 127.0.0.3), each an smtp-sink of the test's own.
@Suite(.serialized) struct MultiRelayTests {
    struct Setup {
        let harness: WorkerHarness
        var sinks: [SinkProcess]

        static func start(hosts: [String] = ["127.0.0.2", "127.0.0.3"]) async throws -> Setup {
            let harness = try await WorkerHarness.start()
            var sinks: [SinkProcess] = []
            for host in hosts { sinks.append(try await SinkProcess.start(host: host)) }
            return Setup(harness: harness, sinks: sinks)
        }

        func settings(weights: [Double], relayConnections: Int = 8, concurrency: Int = 4,
                      circuit: CircuitBreaker.Settings = .init(failureThreshold: 3, initialBackoff: 0.2, maxBackoff: 1)) throws -> WorkerSettings {
            var settings = try harness.settings(connections: concurrency)
            settings.relays = try zip(sinks, weights).enumerated().map { index, pair in
                WorkerRelay(smtp: try SMTPRelayConfiguration(url: pair.0.url, name: "relay\(index + 1)"),
                            descriptor: RelayDescriptor(name: "relay\(index + 1)", weight: pair.1, maxConnections: relayConnections))
            }
            // No speed limit to find: the split is the weights' alone.
            settings.relaying.pool = RelayPoolState.Settings(controller: .init(startRate: 1_000_000), circuit: circuit)
            settings.relaying.retry = RetrySchedule(maxAge: 600, initialDelay: 0.5, maxDelay: 2, jitter: 0.1)
            return settings
        }

        /// Subscribers (RCPT address) received by each sink.
        func received() throws -> [[String]] {
            try sinks.map { try $0.messages().filter { $0.body.contains("\nX-MessageID: 2\n") }.flatMap(\.rcptArgs) }
        }

        func stop() async {
            for sink in sinks { WorkerHarness.stop(sink) }
            await harness.stop()
        }
    }

    @Test func splitFollowsTheWeights() async throws {
        let setup = try await Setup.start()
        let report = try await setup.harness.runner(try setup.settings(weights: [1, 3])).processQueue()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.campaigns.map(\.ending) == [.finished])
        let received = try setup.received()
        let total = received.reduce(0) { $0 + $1.count }
        #expect(total == 1996)
        #expect(Set(received.flatMap { $0 }).count == 1996)
        let share = Double(received[0].count) / Double(total)
        print("weights 1:3 → relay1 \(received[0].count), relay2 \(received[1].count) (share \(String(format: "%.3f", share)))")
        #expect(abs(share - 0.25) <= 0.025, "relay1 took \(received[0].count) of \(total)")
        await setup.stop()
    }

    @Test func relayKilledMidCampaignLosesNothingAndSendsOnce() async throws {
        var setup = try await Setup.start()
        let settings = try setup.settings(weights: [1, 1])
        let victim = setup.sinks[0]
        let killer = Task {
            while (try? victim.messages().count) ?? 0 < 300 { try? await Task.sleep(for: .milliseconds(5)) }
            victim.crash()
        }
        let report = try await setup.harness.runner(settings).processQueue()
        _ = await killer.value
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.campaigns.map(\.ending) == [.finished])
        let received = try setup.received()
        let all = received.flatMap { $0 }
        let counts = Dictionary(all.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(counts.count == 1996, "every subscriber received the campaign")
        let twice = counts.filter { $0.value > 1 }.count
        print("relay killed after \(received[0].count) messages; \(received[1].count) through the other; \(twice) twice")
        #expect(twice <= settings.relays[0].descriptor.maxConnections, "only messages in DATA on the dead relay may arrive twice")
        #expect(counts.values.allSatisfy { $0 <= 2 })
        #expect(try await setup.harness.count("SELECT COUNT(*) FROM phplist_usermessage WHERE messageid = 2 AND status = 'sent'") == 1996)
        #expect(try await setup.harness.count("SELECT sent IS NOT NULL FROM phplist_message WHERE id = 2") == 1)
        setup.sinks.removeFirst()
        await setup.stop()
    }

    @Test func allRelaysDownPausesThenResumes() async throws {
        var setup = try await Setup.start()
        let ports = setup.sinks.map { ($0.host, $0.port) }
        for sink in setup.sinks { WorkerHarness.stop(sink) }
        setup.sinks = []
        var settings = try setup.settings(weights: [1, 1])
        settings.relays = try ports.enumerated().map { index, endpoint in
            WorkerRelay(smtp: try SMTPRelayConfiguration(url: "smtp://\(endpoint.0):\(endpoint.1)", name: "relay\(index + 1)"),
                        descriptor: RelayDescriptor(name: "relay\(index + 1)", maxConnections: 8))
        }
        let runner = try setup.harness.runner(settings)
        let run = Task { try await runner.processQueue() }
        try await Task.sleep(for: .seconds(3))
        // Paused: nothing sent, the campaign still in process.
        #expect(try await setup.harness.count("SELECT COUNT(*) FROM phplist_usermessage WHERE messageid = 2 AND status = 'sent'") == 0)
        #expect(try await setup.harness.pool.query("SELECT status FROM phplist_message WHERE id = 2")[0].decode(0, as: String.self) == "inprocess")
        #expect(runner.relayPool.relayStatus().allSatisfy { $0.circuit != .closed })
        // One relay comes back on its address: the campaign resumes by itself and finishes.
        setup.sinks = [try await SinkProcess.start(host: ports[1].0, port: ports[1].1)]
        let report = try await run.value
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.campaigns.map(\.ending) == [.finished])
        let received = try setup.received()[0]
        #expect(received.count == 1996)
        #expect(Set(received).count == 1996)
        #expect(try await RetryStore(pool: setup.harness.pool).pendingCount(campaign: 2) == 0)
        await setup.stop()
    }
}
