import Foundation
import Testing
@testable import Supervision

@Suite struct StatusRenderingTests {
    @Test func jsonRoundTripsWithSortedStableKeys() throws {
        let snapshot = SampleSnapshot.make()
        let data = try StatusJSON.encode(snapshot)
        #expect(try StatusJSON.decode(data) == snapshot)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object.keys.sorted() == ["bounces", "campaigns", "capacity", "providers", "relays", "retries", "takenAt", "throughput", "workers"])
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""takenAt" : "2027-01-15T08:00:00Z""#))
        #expect(text.contains(#""achievablePerHour" : 45000"#)) // relay-a's 12.5/s measured, relay-b open
        // Keys appear in sorted order: the same snapshot always encodes to the same bytes.
        #expect(try StatusJSON.encode(snapshot) == data)
        let capacity = try #require(object["capacity"] as? [String: Any])
        #expect(Array(capacity.keys).sorted() == ["achievablePerDay", "achievablePerHour", "achievablePerSecond", "isLowerBound",
                                                   "measuredPerHour", "measuredPerSecond", "openRelays", "queueDoneAt",
                                                   "queueDoneAtCapacity", "queueRemaining"])
    }

    @Test func terminalTablesAreAlignedAndCarryTheFigures() {
        let text = StatusText.render(SampleSnapshot.make(subject: "Spring offer"))
        #expect(text.contains("Facteur status at 2027-01-15 08:00:00 UTC"))
        #expect(text.contains("Throughput  12.5/s over the last minute (750 sent), 6,600 sent and 21 deferred in the last hour"))
        #expect(text.contains("Capacity    at least 12.5/s with the current relays = 45,000 per hour, 1,080,000 per day"))
        #expect(text.contains("not counted, circuit open: relay-b"))
        #expect(text.contains("Queue       500 to send, done in 40 s (08:00:40 UTC) at the measured rate"))
        let lines = text.split(separator: "\n").map(String.init)
        let header = try! #require(lines.first { $0.hasPrefix("  RELAY") })
        let rowA = try! #require(lines.first { $0.hasPrefix("  relay-a") })
        let rowB = try! #require(lines.first { $0.hasPrefix("  relay-b") })
        // Left-aligned columns start where their header starts; right-aligned ones end where it ends.
        let circuit = header.range(of: "CIRCUIT")!.lowerBound.utf16Offset(in: header)
        #expect(rowA.range(of: "closed")!.lowerBound.utf16Offset(in: rowA) == circuit)
        #expect(rowB.range(of: "open")!.lowerBound.utf16Offset(in: rowB) == circuit)
        let sentTodayEnd = header.range(of: "SENT TODAY")!.upperBound.utf16Offset(in: header)
        #expect(rowA.range(of: "12,000")!.upperBound.utf16Offset(in: rowA) == sentTodayEnd)
        #expect(rowB.range(of: " 40 ")!.upperBound.utf16Offset(in: rowB) - 1 == sentTodayEnd)
        #expect(text.contains("userunknown"))
        #expect(text.contains("Retries: 4 waiting, 1 due, next at 08:01:30"))
    }

    @Test func pageEscapesWhatComesFromOutside() {
        let html = StatusPage.render(SampleSnapshot.make(subject: "<script>alert('x')</script> & co"))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"))
        #expect(html.contains("451 &lt;greylisted&gt;"))
    }

    @Test func pageIsSelfContainedWithChartCampaignsAndRelays() {
        let html = StatusPage.render(SampleSnapshot.make())
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"))
        #expect(!html.contains("<link"))
        #expect(html.contains(#"<svg xmlns="http://www.w3.org/2000/svg" class="chart""#))
        #expect(html.components(separatedBy: #"<rect class="sent""#).count - 1 == 12)
        #expect(html.contains(#"data-campaign="2""#))
        #expect(html.contains(#"data-relay="relay-a""#) && html.contains(#"data-relay="relay-b""#))
        #expect(html.contains(#"<span class="badge circuit-open">open</span>"#))
        #expect(html.contains("width:75.0%"))
        #expect(html.contains("45,000<small> /h</small>"))
        #expect(html.contains("data-script"))
    }

    @Test func chartAxisUsesRoundNumbers() {
        #expect(ThroughputChart.niceCeiling(1) == 1)
        #expect(ThroughputChart.niceCeiling(3) == 5)
        #expect(ThroughputChart.niceCeiling(1100) == 2000)
        #expect(ThroughputChart.niceCeiling(5000) == 5000)
        // The sample's peak window (1,100) gives four steps of 500.
        let svg = ThroughputChart.svg(SampleSnapshot.make().throughput.windows, now: SampleSnapshot.now)
        let labels = svg.components(separatedBy: #"text-anchor="end">"#).dropFirst().map { $0.prefix { $0 != "<" } }
        #expect(labels == ["0", "500", "1,000", "1,500", "2,000"])
    }
}
