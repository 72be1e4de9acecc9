import Bounces
import FacteurTesting
import Foundation
import Logging
import PHPList
import Relaying
import Testing
import Worker
@testable import Supervision

/// `/metrics` scraped over HTTP while a real campaign goes out through two sinks: the counters say what
/// the sinks received, and every metric the dashboard and the alert rules use is exported.
@Suite(.serialized) struct CampaignMetricsTests {
    @Test func countersMatchWhatTheSinksReceived() async throws {
        let rig = try await CampaignRig.start()
        let server = try await RunningServer.start(token: "scrape-token", exporter: rig.exporter, readiness: rig.readiness)
        let auth = "Bearer scrape-token"

        // Scrape all along, as Prometheus would (faster): names seen, and the campaign gauges mid-run.
        let scraper = Task { () -> (names: Set<String>, scrapes: Int, campaignSeen: Bool) in
            var names = Set<String>(), scrapes = 0, campaignSeen = false
            while !Task.isCancelled {
                if let reply = try? await server.get("/metrics", authorization: auth), reply.status == 200 {
                    let scrape = Scrape(reply.body)
                    names.formUnion(scrape.names)
                    scrapes += 1
                    if scrape.sum(DatabaseGauges.campaignToSend, ["campaign": "2"]) > 0 { campaignSeen = true }
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return (names, scrapes, campaignSeen)
        }
        let report = try await rig.runner.processQueue()
        scraper.cancel()
        let during = await scraper.value
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.campaigns.map(\.ending) == [.finished])

        // A bounce run on the same database, counted by the same registry.
        let processor = BounceProcessor(database: PHPListDatabase(pool: rig.pool), settings: BounceProcessingSettings(),
                                        logger: Logger(label: "test.bounces"), metrics: BounceMetrics(factory: rig.exporter.factory))
        let mbox = try Data(contentsOf: TestServices.compatFile("phplist-3.6.15/bounces-sample.mbox"))
        var outcomes: [BounceOutcome] = []
        for message in MboxReader.messages(in: [UInt8](mbox)) {
            outcomes.append(try await processor.process(message, source: "bounces-sample.mbox"))
        }

        let reply = try await server.get("/metrics", authorization: auth)
        #expect(reply.status == 200)
        #expect(reply.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let scrape = Scrape(reply.body)
        let received = try rig.received()
        let sent = scrape.sum(SendMetrics.sent, by: "relay")
        print("sinks received \(received); facteur_messages_sent_total by relay \(sent); \(during.scrapes) scrapes during the run")
        #expect(received.reduce(0, +) == 1996)
        for (index, name) in CampaignRig.relayNames.enumerated() {
            #expect(sent[name] == Double(received[index]), "\(name): metric \(sent[name] ?? 0), sink \(received[index])")
            #expect(scrape.sum(SendMetrics.replies, ["relay": name, "class": "2xx"]) == Double(received[index]))
            #expect(scrape.sum("facteur_send_duration_seconds_count", ["relay": name]) == Double(received[index]))
            #expect(scrape.sum("facteur_relay_up", ["relay": name]) == 1)
            #expect(scrape.sum(RelayMetrics.relayCircuit, ["relay": name, "state": "closed"]) == 1)
        }
        #expect(scrape.sum(SendMetrics.deferred) == 0 && scrape.sum(SendMetrics.failed) == 0)
        // Providers are the configured one and "other", never a domain or an address.
        #expect(Set(scrape.sum(SendMetrics.sent, by: "provider").keys) == ["example", "other"])
        #expect(scrape.sum(SendMetrics.sent, ["provider": "other"]) == 800)
        #expect(Set(scrape.sum(RelayMetrics.providerAllowedRate, by: "provider").keys) == ["example"])
        #expect(scrape.sum(DatabaseGauges.retryQueue) == 0)
        #expect(during.scrapes > 0 && during.campaignSeen, "campaign progress was scraped while sending")
        // Finished campaigns leave the progress gauges.
        #expect(scrape.sum(DatabaseGauges.campaignSent, ["campaign": "2"]) == 0)
        #expect(scrape.sum("facteur_database_roundtrip_seconds_count") >= Double(during.scrapes))
        #expect(scrape.sum(SendMetrics.heartbeat) > Date().timeIntervalSince1970 - 600)
        let counted = outcomes.filter { $0.disposition != .alreadySeen }
        #expect(!counted.isEmpty)
        #expect(scrape.sum(BounceMetrics.processed) == Double(counted.count))
        #expect(scrape.sum(BounceMetrics.processed, ["severity": "hard"]) == Double(counted.filter(\.isHard).count))

        // Every metric the dashboard and the alert rules use is one Facteur exports.
        let exported = during.names.union(scrape.names)
        for file in ["facteur-dashboard.json", "facteur-alerts.yml"] {
            let used = try MonitoringFiles.metricNames(in: file)
            #expect(!used.isEmpty)
            for name in used.sorted() { #expect(exported.contains(name), "\(file) uses \(name), which Facteur does not export") }
        }
        #expect(try await server.get("/ready", authorization: auth).status == 200)
        await server.stop()
        await rig.stop()
    }
}
