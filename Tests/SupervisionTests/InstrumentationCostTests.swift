import Foundation
@testable import Relaying
import Supervision
import Testing
@testable import Worker

/// What recording one attempt costs with the Prometheus backend (metric objects are created once per
/// label set, so a message only increments). Prints the figure; fails only if it is pathological.
@Suite struct InstrumentationCostTests {
    @Test func recordingAnAttemptIsCheap() {
        let exporter = MetricsExporter()
        let metrics = SendMetrics(factory: exporter.factory)
        let leases = (0..<8).map { index in
            RelayLease(relay: index % 2, relayName: "relay\(index % 2)", provider: index < 4 ? "gmail" : "example\(index).org",
                       domain: index < 4 ? "gmail.com" : "example\(index).org", startedAt: 0)
        }
        let attempt = RelayLane.Attempt(signal: .delivered(latency: 0.012), verdict: .delivered)
        let count = 200_000
        let started = ContinuousClock.now
        for index in 0..<count { metrics.record(attempt, lease: leases[index & 7]) }
        let elapsed = ContinuousClock.now - started
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        let perMessage = nanoseconds / Double(count)
        print("SendMetrics.record with Prometheus (debug build): \(Int(perMessage)) ns per message")
        let scrape = String(decoding: exporter.registry.emitToBuffer(), as: UTF8.self)
        #expect(scrape.contains("facteur_messages_sent_total{relay=\"relay0\",provider=\"gmail\"} 50000"))
        #expect(perMessage < 50_000, "recording an attempt took \(Int(perMessage)) ns")
    }
}
