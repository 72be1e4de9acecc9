import FacteurTesting
import Foundation
import Relaying
import SMTP
import Testing
import Worker

/// Issue 6's benchmark (not a test): the sample campaign through 1, 2 and 4 smtp-sinks on 127.0.0.2…5.
/// Runs only with FACTEUR_BENCH_RELAYS=1 (shown as skipped otherwise); prints messages/s per setup.
@Suite(.serialized) struct RelayBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FACTEUR_BENCH_RELAYS"] != nil,
                   "set FACTEUR_BENCH_RELAYS=1 to run the relay benchmark"))
    func throughputWithOneTwoAndFourRelays() async throws {
        var lines: [String] = []
        for count in [1, 2, 4, 1] {
            let harness = try await WorkerHarness.start()
            var sinks: [SinkProcess] = []
            for index in 0..<count { sinks.append(try await SinkProcess.start(dump: false, host: "127.0.0.\(index + 2)")) }
            var settings = try harness.settings(connections: 8)
            settings.relays = try sinks.enumerated().map { index, sink in
                WorkerRelay(smtp: try SMTPRelayConfiguration(url: sink.url, name: "relay\(index + 1)"), connections: 8)
            }
            let start = ContinuousClock.now
            let report = try await harness.runner(settings).processQueue()
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            #expect(report.campaigns.first?.sent == 1996)
            lines.append(String(format: "%d relay(s): 1996 messages in %.2f s = %.0f msg/s", count, seconds, 1996 / seconds))
            for sink in sinks { WorkerHarness.stop(sink) }
            await harness.stop()
        }
        print("relay benchmark (start_rate 50, 8 sending tasks):\n" + lines.joined(separator: "\n"))
    }
}
