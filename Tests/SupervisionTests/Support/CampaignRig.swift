import FacteurTesting
import Foundation
import Logging
import MariaDB
import PHPList
import Relaying
import SMTP
import Supervision
import Worker

/// The PHPList sample (campaign 2 queued, 1,996 deliverable subscribers) sent through two relays, each an
/// smtp-sink of the test's own on its own loopback address, with metrics going to `exporter` only.
struct CampaignRig {
    let database: TestDatabase
    let pool: MariaDBPool
    let sinks: [SinkProcess]
    let exporter: MetricsExporter
    let runner: QueueRunner

    static let relayNames = ["relay1", "relay2"]

    static func start() async throws -> CampaignRig {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        let pool = database.pool(maxConnections: 6)
        let migrations = try Migration.load(from: TestServices.repositoryRoot.appendingPathComponent("migrations"))
        _ = try await MigrationRunner(pool: pool, migrations: migrations).migrate()
        var sinks: [SinkProcess] = []
        for host in ["127.0.0.2", "127.0.0.3"] { sinks.append(try await SinkProcess.start(host: host)) }

        var exporter = MetricsExporter()
        var settings = WorkerSettings(relay: try SMTPRelayConfiguration(url: sinks[0].url), connections: 4,
                                      envelopeSender: "bounces@example.org",
                                      attachmentRepository: TestServices.compatFile("phplist-3.6.15/attachments").path,
                                      useManualTextPart: true, lockKeepInterval: .milliseconds(200),
                                      retryDelay: .milliseconds(200), lockPollInterval: .milliseconds(200))
        settings.relays = try zip(sinks, relayNames).map { sink, name in
            WorkerRelay(smtp: try SMTPRelayConfiguration(url: sink.url, name: name),
                        descriptor: RelayDescriptor(name: name, weight: 1, maxConnections: 4))
        }
        // Three of the sample's five domains form a provider; the others are in none ("other").
        settings.relaying.providers = ProviderTable(providers: [
            .init(name: "example", domains: ["example.org", "example.com", "example.net"], maxRate: 100_000)])
        settings.relaying.pool = RelayPoolState.Settings(controller: .init(startRate: 1_000_000))
        settings.metrics = SendMetrics(factory: exporter.factory)
        var logger = Logger(label: "test.worker")
        logger.logLevel = .warning
        let runner = QueueRunner(database: PHPListDatabase(pool: pool), settings: settings, logger: logger)

        let relays = RelayPoolObserver(runner: runner, factory: exporter.factory)
        let gauges = DatabaseGauges(pool: pool, tables: TableNames(), registry: exporter.registry, logger: logger)
        exporter.collectors = [{ relays.publish() }, { await gauges.refresh() }]
        return CampaignRig(database: database, pool: pool, sinks: sinks, exporter: exporter, runner: runner)
    }

    var readiness: Readiness {
        let relays = RelayPoolObserver(runner: runner, factory: exporter.factory)
        return Readiness([.database(pool), .relays { relays.relays() }])
    }

    /// Campaign 2's messages each sink accepted (a 250 after DATA).
    func received() throws -> [Int] {
        try sinks.map { try $0.messages().filter { $0.body.contains("\nX-MessageID: 2\n") }.count }
    }

    func stop() async {
        for sink in sinks { Self.stop(sink) }
        await pool.shutdown()
        try? await database.drop()
    }

    /// smtp-sink started from a test thread may have SIGTERM blocked, so `SinkProcess.stop()` alone can
    /// wait forever: the sink (found by its own dump folder in its command line) is killed first.
    static func stop(_ sink: SinkProcess) {
        let folder = sink.dumpDirectory.path
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let line = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let command = String(decoding: line, as: UTF8.self)
            if command.hasPrefix("/usr/sbin/smtp-sink"), command.contains(folder) { kill(pid, SIGKILL) }
        }
        sink.stop()
    }
}
