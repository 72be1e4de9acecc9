import Foundation
import Logging
import MariaDB
import NIOConcurrencyHelpers
import PHPList
import Prometheus

/// Gauges read from the database when metrics are scraped, so they are true whichever worker or host
/// did the work: the retry queue, each campaign's progress, and the database's round-trip time.
/// Campaigns are those PHPList would send (`submitted`, `inprocess`); a campaign that left that state
/// loses its series at the next scrape, so the label set stays the campaigns in progress.
public final class DatabaseGauges: Sendable {
    public static let retryQueue = "facteur_retry_queue_size"
    public static let campaignToSend = "facteur_campaign_messages_to_send"
    public static let campaignSent = "facteur_campaign_messages_sent"
    public static let roundTrip = "facteur_database_roundtrip_seconds"
    public static let scrapeErrors = "facteur_database_scrape_errors_total"

    let pool: MariaDBPool
    let tables: TableNames
    let registry: PrometheusCollectorRegistry
    let timeout: Duration
    let logger: Logger
    private let roundTripHistogram: DurationHistogram
    private let errors: Prometheus.Counter
    /// Campaign gauges published at the last refresh, by campaign id.
    private let campaigns = NIOLockedValueBox<[Int: (toSend: Gauge?, sent: Gauge)]>([:])

    public init(pool: MariaDBPool, tables: TableNames, registry: PrometheusCollectorRegistry,
                timeout: Duration = .seconds(2), logger: Logger) {
        self.pool = pool
        self.tables = tables
        self.registry = registry
        self.timeout = timeout
        self.logger = logger
        roundTripHistogram = registry.makeDurationHistogram(
            descriptor: Self.named(Self.roundTrip), labels: [],
            buckets: [.microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                      .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                      .milliseconds(500), .seconds(1), .seconds(2)])
        errors = registry.makeCounter(descriptor: Self.named(Self.scrapeErrors), labels: [])
    }

    /// Reads the database and sets the gauges; a failure or timeout is counted and logged, and the
    /// gauges keep their last values.
    public func refresh() async {
        let started = ContinuousClock.now
        let outcome = await withDeadline(timeout) { [pool] in _ = try await pool.query("SELECT 1") }
        guard case .success? = outcome else {
            errors.increment()
            logger.warning("database not reachable for metrics", metadata: ["error": "\(Self.describe(outcome))"])
            return
        }
        roundTripHistogram.record(ContinuousClock.now - started)
        let snapshot = await withDeadline(timeout) { [self] in try await readSnapshot() }
        switch snapshot {
        case .success(let value)?:
            publish(value)
        default:
            errors.increment()
            logger.warning("cannot read progress for metrics (run facteur migrate?)", metadata: ["error": "\(Self.describe(snapshot))"])
        }
    }

    struct Snapshot: Sendable {
        var retries: Int?
        var campaigns: [Int: (toSend: Int?, sent: Int)] = [:]
    }

    private func readSnapshot() async throws -> Snapshot {
        var snapshot = Snapshot()
        // facteur_retries exists once `facteur migrate` ran; without it only that gauge is missing.
        snapshot.retries = try? await pool.query("SELECT COUNT(*) FROM facteur_retries").first?.decode(0, as: Int.self)
        let ids = try await pool.query("SELECT id FROM \(tables.message) WHERE status IN ('submitted', 'inprocess')")
            .map { try $0.decode(0, as: Int.self) }
        guard !ids.isEmpty else { return snapshot }
        for id in ids { snapshot.campaigns[id] = (nil, 0) }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let params = ids.map { $0 as any MariaDBEncodable }
        for row in try await pool.query(
            "SELECT messageid, COUNT(*) FROM \(tables.userMessage) WHERE status = 'sent' AND messageid IN (\(marks)) GROUP BY messageid",
            params) {
            snapshot.campaigns[try row.decode(0, as: Int.self)]?.sent = try row.decode(1, as: Int.self)
        }
        // "to process" is what processqueue (and Facteur) write while sending; absent before the first pass.
        for row in try await pool.query(
            "SELECT id, data FROM \(tables.messageData) WHERE name = 'to process' AND id IN (\(marks))", params) {
            let id = try row.decode(0, as: Int.self)
            snapshot.campaigns[id]?.toSend = Int(try row.decode(1, as: String.self).trimmingCharacters(in: .whitespaces))
        }
        return snapshot
    }

    private func publish(_ snapshot: Snapshot) {
        if let retries = snapshot.retries {
            registry.makeGauge(descriptor: Self.named(Self.retryQueue), labels: []).set(Double(retries))
        }
        campaigns.withLockedValue { published in
            for (id, gauges) in published where snapshot.campaigns[id] == nil {
                if let toSend = gauges.toSend { registry.unregisterGauge(toSend) }
                registry.unregisterGauge(gauges.sent)
                published[id] = nil
            }
            for (id, progress) in snapshot.campaigns {
                let labels = [("campaign", String(id))]
                let sent = registry.makeGauge(descriptor: Self.named(Self.campaignSent), labels: labels)
                sent.set(Double(progress.sent))
                var toSend = published[id]?.toSend
                if let value = progress.toSend {
                    toSend = toSend ?? registry.makeGauge(descriptor: Self.named(Self.campaignToSend), labels: labels)
                    toSend?.set(Double(value))
                }
                published[id] = (toSend, sent)
            }
        }
    }

    /// A bare name: no HELP line, as swift-metrics' factory registers its metrics (the two must agree).
    static func named(_ name: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: "")
    }

    private static func describe<T>(_ outcome: Result<T, any Error>?) -> String {
        switch outcome {
        case .failure(let error)?: "\(error)"
        case nil: "no answer within the timeout"
        case .success?: "none"
        }
    }
}
