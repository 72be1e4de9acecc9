import Foundation
import MariaDB
import PHPList
import Relaying

/// The queries behind a `StatusSnapshot`, one per figure, each returning typed rows.
///
/// Clocks: PHPList's columns and `facteur_workers` are written with the server's NOW(), so they are
/// compared with NOW() in SQL; `facteur_provider_stats`, `facteur_relay_state` and `facteur_retries`
/// are written from Facteur's clock (UTC) and compared with `now`.
struct StatusQueries: Sendable {
    let pool: MariaDBPool
    let tables: TableNames

    static let chartWindows = 12

    // MARK: Throughput

    func throughput(now: Date) async throws -> StatusSnapshot.Throughput {
        let lastMinute = try await pool.query(
            "SELECT COUNT(*) AS n FROM \(tables.userMessage) WHERE entered >= NOW() - INTERVAL 60 SECOND AND status = 'sent'"
        ).first?.decode("n", as: Int.self) ?? 0
        let seconds = ProviderStatsStore.windowSeconds
        let current = ProviderStatsStore.windowStart(of: now)
        let first = current.addingTimeInterval(-Double(Self.chartWindows - 1) * seconds)
        let rows = try await pool.query(
            """
            SELECT window_start, SUM(sent) AS sent, SUM(deferred) AS deferred FROM facteur_provider_stats
            WHERE window_start >= ? GROUP BY window_start
            """, [first])
        var counts: [Date: (Int, Int)] = [:]
        for row in rows {
            counts[try row.decode("window_start", as: Date.self)] = (try row.decode("sent", as: Int.self), try row.decode("deferred", as: Int.self))
        }
        let windows = (0..<Self.chartWindows).map { index in
            let start = first.addingTimeInterval(Double(index) * seconds)
            let (sent, deferred) = counts[start] ?? (0, 0)
            return StatusSnapshot.Throughput.Window(start: start, seconds: Int(seconds), sent: sent, deferred: deferred)
        }
        return StatusSnapshot.Throughput(sentLastMinute: lastMinute, sentLastHour: windows.reduce(0) { $0 + $1.sent },
                                         deferredLastHour: windows.reduce(0) { $0 + $1.deferred }, windows: windows)
    }

    // MARK: Campaigns

    struct CampaignRow: Sendable {
        var id: Int
        var subject: String
        var status: String
        var sendStart: Date?
        var processed: Int
        var bounces: Int
        var toProcess: Int?
        var messagesPerHour: Double?
    }

    /// Campaigns queued, being sent or suspended, and those finished within `hours` (`message` is small).
    func campaigns(hours: Int) async throws -> [CampaignRow] {
        let rows = try await pool.query(
            """
            SELECT id, subject, status, sendstart, processed, bouncecount FROM \(tables.message)
            WHERE status IN ('submitted', 'inprocess', 'suspended') OR sent >= NOW() - INTERVAL ? HOUR
            ORDER BY id
            """, [hours])
        var campaigns = try rows.map { row in
            CampaignRow(id: try row.decode("id", as: Int.self), subject: try row.decode("subject", as: String?.self) ?? "",
                        status: try row.decode("status", as: String?.self) ?? "",
                        sendStart: try? row.decode("sendstart", as: Date?.self),
                        processed: try row.decode("processed", as: Int?.self) ?? 0,
                        bounces: try row.decode("bouncecount", as: Int?.self) ?? 0)
        }
        guard !campaigns.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: campaigns.count).joined(separator: ",")
        let data = try await pool.query(
            "SELECT id, name, data FROM \(tables.messageData) WHERE name IN ('to process', 'msg/hr') AND id IN (\(marks))",
            campaigns.map { $0.id as any MariaDBEncodable })
        var index: [Int: Int] = [:]
        for (position, campaign) in campaigns.enumerated() { index[campaign.id] = position }
        for row in data {
            guard let position = index[try row.decode("id", as: Int.self)] else { continue }
            let text = (try row.decode("data", as: String?.self) ?? "").trimmingCharacters(in: .whitespaces)
            switch try row.decode("name", as: String.self) {
            case "to process": campaigns[position].toProcess = Int(text)
            default: campaigns[position].messagesPerHour = Double(text)
            }
        }
        return campaigns
    }

    // MARK: Relays and providers

    struct RelayRow: Sendable {
        var relay: String
        var workerID: String
        var circuit: String
        var allowedRate: Double?
        var inFlight: Int
        var sentToday: Int
        var updated: Date
        var health: Double
        var delivered: Int
        var attempts: Int
    }

    func relays() async throws -> [RelayRow] {
        try await pool.query(
            """
            SELECT relay, worker_id, circuit, allowed_rate, in_flight, sent_today, updated, health, delivered, attempts
            FROM facteur_relay_state
            """
        ).map { row in
            RelayRow(relay: try row.decode("relay", as: String.self), workerID: try row.decode("worker_id", as: String.self),
                     circuit: try row.decode("circuit", as: String.self), allowedRate: try row.decode("allowed_rate", as: Double?.self),
                     inFlight: try row.decode("in_flight", as: Int.self), sentToday: try row.decode("sent_today", as: Int.self),
                     updated: try row.decode("updated", as: Date.self), health: try row.decode("health", as: Double.self),
                     delivered: try row.decode("delivered", as: Int.self), attempts: try row.decode("attempts", as: Int.self))
        }
    }

    struct ProviderRow: Sendable {
        var provider: String
        var sent: Int
        var deferred: Int
        var allowedRate: Double?
    }

    /// Sent and deferred per provider since `since`, and the allowed rate of those with one of their own
    /// (summed over workers that published it after `stateSince`).
    func providers(since: Date, stateSince: Date) async throws -> [ProviderRow] {
        let totals = try await pool.query(
            """
            SELECT provider, SUM(sent) AS sent, SUM(deferred) AS deferred FROM facteur_provider_stats
            WHERE window_start >= ? GROUP BY provider
            """, [ProviderStatsStore.windowStart(of: since)])
        let limits = try await pool.query(
            "SELECT provider, SUM(allowed_rate) AS rate FROM facteur_provider_state WHERE updated >= ? GROUP BY provider",
            [stateSince])
        var rows: [String: ProviderRow] = [:]
        for row in totals {
            let name = try row.decode("provider", as: String.self)
            rows[name] = ProviderRow(provider: name, sent: try row.decode("sent", as: Int.self),
                                     deferred: try row.decode("deferred", as: Int.self), allowedRate: nil)
        }
        for row in limits {
            let name = try row.decode("provider", as: String.self)
            rows[name, default: ProviderRow(provider: name, sent: 0, deferred: 0)].allowedRate = try row.decode("rate", as: Double?.self)
        }
        return Array(rows.values)
    }

    // MARK: Retries

    struct RetryQueue: Sendable {
        var snapshot: StatusSnapshot.Retries
        var byCampaign: [Int: Int]
    }

    func retries(now: Date) async throws -> RetryQueue {
        let perCampaign = try await pool.query(
            """
            SELECT messageid, COUNT(*) AS n, SUM(next_attempt <= ?) AS due, MIN(next_attempt) AS next
            FROM facteur_retries GROUP BY messageid
            """, [now])
        var byCampaign: [Int: Int] = [:]
        var due = 0
        var next: Date?
        for row in perCampaign {
            byCampaign[try row.decode("messageid", as: Int.self)] = try row.decode("n", as: Int.self)
            due += try row.decode("due", as: Int?.self) ?? 0
            if let date = try row.decode("next", as: Date?.self) { next = min(next ?? date, date) }
        }
        let domains = try await pool.query(
            """
            SELECT domain, COUNT(*) AS n, MAX(attempts) AS attempts, MAX(last_reply) AS reply FROM facteur_retries
            GROUP BY domain ORDER BY n DESC, domain LIMIT 10
            """
        ).map { row in
            StatusSnapshot.Retries.Domain(domain: try row.decode("domain", as: String.self), pending: try row.decode("n", as: Int.self),
                                          maxAttempts: try row.decode("attempts", as: Int.self),
                                          lastReply: try row.decode("reply", as: String?.self) ?? "")
        }
        let pending = byCampaign.values.reduce(0, +)
        return RetryQueue(snapshot: StatusSnapshot.Retries(pending: pending, due: due, nextDue: next, byDomain: domains),
                          byCampaign: byCampaign)
    }

    // MARK: Bounces

    struct ReasonRow: Sendable {
        var reason: String
        var count: Int
        var hard: Int
    }

    /// Reasons that are no delivery failure (BounceReason.isFailure false) are left out of bounce figures.
    static let notFailures = ["delivered", "feedback", "vacation", "none"]

    private var failureFilter: String {
        "s.bounce_id IS NOT NULL AND s.reason NOT IN (\(Self.notFailures.map { "'\($0)'" }.joined(separator: ", ")))"
    }

    func bouncesByReason(hours: Int) async throws -> [ReasonRow] {
        try await pool.query(
            """
            SELECT s.reason AS reason, COUNT(*) AS n, SUM(s.hard) AS hard FROM facteur_bounce_seen s
            WHERE s.processed >= NOW() - INTERVAL ? HOUR AND \(failureFilter) GROUP BY s.reason
            """, [hours]
        ).map { row in
            ReasonRow(reason: try row.decode("reason", as: String.self), count: try row.decode("n", as: Int.self),
                      hard: try row.decode("hard", as: Int?.self) ?? 0)
        }
    }

    /// The address of each subscriber a bounce of the window was recorded for (to count per provider).
    func bouncedAddresses(hours: Int) async throws -> [String] {
        try await pool.query(
            """
            SELECT u.email AS email FROM facteur_bounce_seen s
            JOIN \(tables.userMessageBounce) umb ON umb.bounce = s.bounce_id
            JOIN \(tables.user) u ON u.id = umb.user
            WHERE s.processed >= NOW() - INTERVAL ? HOUR AND \(failureFilter)
            """, [hours]
        ).map { try $0.decode("email", as: String.self) }
    }

    // MARK: Workers

    func workers() async throws -> [StatusSnapshot.Worker] {
        try await pool.query(
            """
            SELECT worker_id, host, pid, started, heartbeat, heartbeat >= NOW() - INTERVAL lease_seconds SECOND AS alive
            FROM facteur_workers ORDER BY host, worker_id
            """
        ).map { row in
            StatusSnapshot.Worker(id: try row.decode("worker_id", as: String.self), host: try row.decode("host", as: String.self),
                                  pid: try row.decode("pid", as: Int.self), started: try row.decode("started", as: Date.self),
                                  heartbeat: try row.decode("heartbeat", as: Date.self), alive: try row.decode("alive", as: Bool.self))
        }
    }
}
