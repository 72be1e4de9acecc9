import FacteurTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MariaDB
import Testing
@testable import Supervision

/// The status page in a real headless Chromium, served by `facteur send --http` itself while it sends the
/// sample campaign to a slow smtp-sink (one second before each DATA reply), so the campaign is mid-way
/// when the page loads.
@Suite(.serialized, .enabled(if: Browser.runTests && SinkRequirement.runSmtpSinkTests,
                             "chromium or smtp-sink is not installed (Debian chromium, postfix); CI fails instead"))
struct StatusPageBrowserTests {
    @Test func pageDuringACampaignShowsItAndTheRelayWithoutScriptError() async throws {
        let db = try await StatusDatabase.start()
        let sink = try await SinkProcess.start(flags: ["-w", "1"])
        let port = try SinkPorts.free()
        let installation = try StatusInstallation.write(databaseURL: db.database.url, relayURL: sink.url, connections: 8)
        let sending = try FacteurCommand.built().launch(["--config", installation.config, "send", "--http"],
                                                        environment: ["FACTEUR_HTTP_LISTEN": "127.0.0.1:\(port)"])
        defer {
            if sending.process.isRunning { sending.signal(SIGKILL) }
            sink.stop()
            Task { await db.stop() }
        }
        try await waitUntilSending(db, sending: sending)
        try await SinkPorts.waitUntilListening(port, seconds: 30)

        let reader = StatusReader(pool: db.pool)
        let screenshot = TestServices.repositoryRoot.appendingPathComponent(".build/status-page.png")
        let base = "http://127.0.0.1:\(port)"
        let dom = try await Browser.dumpDOM(base + "/")
        try await Browser.screenshot(base + "/", to: screenshot)
        let (data, response) = try await URLSession.shared.data(from: URL(string: base + "/status.json")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let json = try StatusJSON.decode(data)

        // The script ran to its end and nothing raised (the markers are attributes of <html>).
        let root = Self.rootTag(dom)
        #expect(root.contains(#"data-script="ok""#), "\(root)")
        #expect(!root.contains("data-script-error"), "\(root)")
        // The running campaign with its progress, and the relay the worker published.
        #expect(dom.contains(#"<tr class="campaign" data-campaign="2">"#))
        #expect(dom.contains("Spring offer"))
        #expect(dom.contains(">inprocess<"))
        #expect(dom.contains(#"<tr class="relay" data-relay="sink">"#))
        #expect(dom.contains(#"<span class="badge circuit-closed">closed</span>"#))
        #expect(dom.contains("<svg"))
        #expect(try Data(contentsOf: screenshot).count > 10_000)

        let campaign = try #require(json.campaigns.first { $0.id == 2 })
        #expect(campaign.status == "inprocess")
        #expect((campaign.toProcess ?? 0) > 0)
        #expect(json.relays.map(\.name) == ["sink"])
        #expect(json.relays.first?.workers == 1)
        #expect(json.workers.count == 1 && json.workers.first?.alive == true)

        // The worker publishes each relay's deliveries and attempts (migration 0007): the relay's share of
        // the throughput and its error share come from them.
        let deadline = Date().addingTimeInterval(30)
        var relay = try await reader.read().relays.first
        while (relay?.delivered ?? 0) == 0 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(500))
            relay = try await reader.read().relays.first
        }
        let published = try #require(relay)
        #expect(published.delivered > 0 && published.attempts >= published.delivered)
        #expect(published.errorShare == 0)
        #expect(published.measuredRate > 0)

        sending.signal(SIGTERM)
        _ = try await sending.waitForExit(timeout: 60)
    }

    @Test func aScriptErrorOnThePageIsDetected() async throws {
        // The check above is only worth something if an error would show: a page whose extra script throws.
        let html = StatusPage.render(SampleSnapshot.make())
            .replacingOccurrences(of: "</body>", with: "<script>undefinedFunction();</script></body>")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-status-\(UUID().uuidString).html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let root = Self.rootTag(try await Browser.dumpDOM(file.absoluteString))
        #expect(root.contains("data-script-error"))
        #expect(root.contains("undefinedFunction"))
    }

    /// The `<html …>` start tag of a dumped DOM.
    static func rootTag(_ dom: String) -> String {
        guard let start = dom.range(of: "<html"), let end = dom[start.upperBound...].firstIndex(of: ">") else { return "" }
        return String(dom[start.lowerBound...end])
    }

    /// Until the worker has claimed subscribers, published its relay and sent a few messages.
    private func waitUntilSending(_ db: StatusDatabase, sending: FacteurCommand.Running) async throws {
        // Generous: on a loaded machine the worker's start (lock, campaign load) can take a while.
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline {
            let relays = try await db.pool.query("SELECT COUNT(*) FROM facteur_relay_state")[0].decode(0, as: Int.self)
            let sent = try await db.pool.query("SELECT COUNT(*) FROM phplist_usermessage WHERE messageid = 2 AND status = 'sent'")[0]
                .decode(0, as: Int.self)
            if relays > 0 && sent >= 5 { return }
            guard sending.process.isRunning else {
                throw Browser.Failure(description: "facteur send ended before the page was loaded: \(sending.outputSoFar)")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Browser.Failure(description: "facteur send published no relay state within 180 s: \(sending.outputSoFar)")
    }
}
