import Compose
import Foundation
import Testing

/// Opt-in (FACTEUR_BENCH=1): personalised messages per second for the sample campaign, one core. Run in
/// release: FACTEUR_BENCH=1 swift test -c release --filter ComposeBenchmarkTests
@Suite struct ComposeBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FACTEUR_BENCH"] == "1"))
    func sampleCampaignThroughput() throws {
        let fixture = try SampleFixture()
        // 2,000 distinct subscribers shaped like the sample's (uniqid, uuid, attributes).
        let base = fixture.subscriber(id: 2)
        let subscribers = (0..<2000).map { i -> SubscriberFields in
            var s = base
            s.id = 10_000 + i
            s.email = "user\(i)@example.net"
            s.uniqid = String(format: "%032x", i * 7919)
            s.uuid = String(format: "%08x-a2b4-4f27-9601-%012x", i, i)
            s.attributes["firstname"] = ["Ursula", "Jonas", "Zoë", "Łukasz"][i % 4]
            return s
        }
        let result = try ComposeBenchmark.run(content: try fixture.content, settings: fixture.settings,
                                              subscribers: subscribers, tracking: fixture.tracking, duration: 5)
        print(result)
        #expect(result.messages >= 1000)
    }
}
