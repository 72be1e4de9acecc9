import FacteurConfig
import Foundation
import MariaDB
import PHPList
import Relaying

/// Reads one `StatusSnapshot` from the database, so `facteur status` works from any host and while no
/// worker or HTTP listener runs. Each figure comes from an indexed aggregate or a small table: the cost
/// does not grow with the size of `usermessage` beyond the last minute's rows (`enteredindex`).
public struct StatusReader: Sendable {
    public let pool: MariaDBPool
    public let tables: TableNames
    /// Maps a bounced subscriber's domain to the provider names `facteur_provider_stats` uses.
    public let providerTable: ProviderTable
    /// Bounces and provider figures cover this many hours.
    public let windowHours: Int
    /// A relay row not refreshed for this long belongs to a worker that stopped publishing.
    public let relayFreshness: TimeInterval

    public init(pool: MariaDBPool, tables: TableNames = TableNames(), providerTable: ProviderTable = .shipped,
                windowHours: Int = 24, relayFreshness: TimeInterval = 120) {
        self.pool = pool
        self.tables = tables
        self.providerTable = providerTable
        self.windowHours = windowHours
        self.relayFreshness = relayFreshness
    }

    /// The provider table a worker with this configuration uses (`throttle.providers` over the shipped one).
    public init(pool: MariaDBPool, tables: TableNames = TableNames(), configuredProviders: [ProviderConfiguration],
                windowHours: Int = 24) {
        self.init(pool: pool, tables: tables, providerTable: ProviderTable(configured: configuredProviders), windowHours: windowHours)
    }

    /// `now` is rounded down to whole seconds, as the JSON dates are.
    public func read(now: Date = Date()) async throws -> StatusSnapshot {
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        return try await read(at: now)
    }

    private func read(at now: Date) async throws -> StatusSnapshot {
        let queries = StatusQueries(pool: pool, tables: tables)
        do {
            async let throughput = queries.throughput(now: now)
            async let campaignRows = queries.campaigns(hours: windowHours)
            async let relayRows = queries.relays()
            async let retries = queries.retries(now: now)
            async let providerRows = queries.providers(since: now.addingTimeInterval(-Double(windowHours) * 3600),
                                                       stateSince: now.addingTimeInterval(-relayFreshness))
            async let bounceRows = queries.bouncesByReason(hours: windowHours)
            async let bouncedEmails = queries.bouncedAddresses(hours: windowHours)
            async let workers = queries.workers()

            let measured = try await throughput
            let relays = Self.relays(try await relayRows, measuredPerSecond: measured.perSecond, now: now, freshness: relayFreshness)
            let retryQueue = try await retries
            let campaigns = Self.campaigns(try await campaignRows, retrying: retryQueue.byCampaign, now: now)
            let providers = Self.providers(try await providerRows, bounced: try await bouncedEmails, table: providerTable)
            let sentInWindow = providers.reduce(0) { $0 + $1.sent }
            let bounces = Self.bounces(try await bounceRows, sent: sentInWindow, hours: windowHours)
            let remaining = campaigns.filter(\.isRunning).reduce(0) { $0 + ($1.toProcess ?? 0) } + retryQueue.snapshot.pending
            let capacity = CapacityEstimate.estimate(
                relays: relays.map { .init(name: $0.name, circuit: $0.circuit, allowedRate: $0.allowedRate, measuredRate: $0.measuredRate) },
                measuredPerSecond: measured.perSecond, queueRemaining: remaining, now: now)
            return StatusSnapshot(takenAt: now, throughput: measured, campaigns: campaigns, relays: relays, providers: providers,
                                  retries: retryQueue.snapshot, bounces: bounces, workers: try await workers, capacity: capacity)
        } catch let error as MariaDBError {
            throw StatusReadError(underlying: error)
        }
    }

    // MARK: - Assembling

    static func relays(_ rows: [StatusQueries.RelayRow], measuredPerSecond: Double, now: Date,
                       freshness: TimeInterval) -> [StatusSnapshot.Relay] {
        let byRelay = Dictionary(grouping: rows, by: \.relay)
        // Relays still published recently; a relay only a stopped worker knew is shown as last seen.
        var chosen: [String: [StatusQueries.RelayRow]] = [:]
        for (relay, rows) in byRelay {
            let fresh = rows.filter { now.timeIntervalSince($0.updated) <= freshness }
            chosen[relay] = fresh.isEmpty ? [rows.max { $0.updated < $1.updated }!] : fresh
        }
        // The measured throughput is shared among the relays still publishing, by their deliveries.
        let totalDelivered = chosen.values.joined().filter { now.timeIntervalSince($0.updated) <= freshness }.reduce(0) { $0 + $1.delivered }
        return chosen.keys.sorted().map { name in
            let rows = chosen[name]!
            let fresh = rows.contains { now.timeIntervalSince($0.updated) <= freshness }
            let delivered = rows.reduce(0) { $0 + $1.delivered }
            let attempts = rows.reduce(0) { $0 + $1.attempts }
            let inFlight = fresh ? rows.reduce(0) { $0 + $1.inFlight } : 0
            let finished = max(0, attempts - inFlight)
            let unlimited = rows.contains { $0.allowedRate == nil }
            return StatusSnapshot.Relay(
                name: name, circuit: worstCircuit(rows.map(\.circuit)), health: rows.map(\.health).min() ?? 1,
                allowedRate: unlimited ? nil : rows.reduce(0) { $0 + ($1.allowedRate ?? 0) },
                measuredRate: fresh ? (CapacityEstimate.share(delivered, of: totalDelivered) ?? 0) * measuredPerSecond : 0,
                errorShare: CapacityEstimate.share(max(0, finished - delivered), of: finished),
                inFlight: inFlight, sentToday: rows.reduce(0) { $0 + $1.sentToday }, delivered: delivered, attempts: attempts,
                workers: fresh ? rows.count : 0, updated: rows.map(\.updated).max()!)
        }
    }

    static func worstCircuit(_ circuits: [String]) -> String {
        if circuits.contains("open") { return "open" }
        if let other = circuits.first(where: { $0 != "closed" }) { return other }
        return "closed"
    }

    static func campaigns(_ rows: [StatusQueries.CampaignRow], retrying: [Int: Int], now: Date) -> [StatusSnapshot.Campaign] {
        rows.map { row in
            let retries = retrying[row.id] ?? 0
            let remaining = row.toProcess.map { $0 + retries }
            let progress = remaining.flatMap { CapacityEstimate.share(row.processed, of: row.processed + $0) }
            var eta: Date?
            if let remaining, let rate = row.messagesPerHour, rate > 0, row.status == "inprocess" {
                eta = now.addingTimeInterval((Double(remaining) / rate * 3600).rounded(.up))
            }
            return StatusSnapshot.Campaign(
                id: row.id, subject: row.subject, status: row.status, sendStart: row.sendStart, processed: row.processed,
                toProcess: row.toProcess, messagesPerHour: row.messagesPerHour, retrying: retries, bounces: row.bounces,
                bounceShare: CapacityEstimate.share(row.bounces, of: row.processed), progress: progress, eta: eta)
        }
    }

    static func providers(_ rows: [StatusQueries.ProviderRow], bounced: [String], table: ProviderTable) -> [StatusSnapshot.Provider] {
        var bounces: [String: Int] = [:]
        for email in bounced {
            guard let at = email.lastIndex(of: "@") else { continue }
            bounces[table.provider(forDomain: email[email.index(after: at)...]), default: 0] += 1
        }
        var byName = Dictionary(uniqueKeysWithValues: rows.map { ($0.provider, $0) })
        for name in bounces.keys where byName[name] == nil {
            byName[name] = StatusQueries.ProviderRow(provider: name, sent: 0, deferred: 0, allowedRate: nil)
        }
        return byName.values.map { row in
            let count = bounces[row.provider] ?? 0
            return StatusSnapshot.Provider(name: row.provider, sent: row.sent, deferred: row.deferred, bounces: count,
                                           bounceShare: CapacityEstimate.share(count, of: row.sent), allowedRate: row.allowedRate)
        }.sorted { ($0.sent, $1.name) > ($1.sent, $0.name) }
    }

    static func bounces(_ rows: [StatusQueries.ReasonRow], sent: Int, hours: Int) -> StatusSnapshot.Bounces {
        let reasons = rows.map {
            StatusSnapshot.Bounces.Reason(reason: $0.reason.isEmpty ? "unclassified" : $0.reason, count: $0.count, hard: $0.hard,
                                          rate: CapacityEstimate.share($0.count, of: sent))
        }.sorted { ($0.count, $1.reason) > ($1.count, $0.reason) }
        return StatusSnapshot.Bounces(hours: hours, sent: sent, total: reasons.reduce(0) { $0 + $1.count },
                                      hard: reasons.reduce(0) { $0 + $1.hard }, byReason: reasons)
    }
}

/// The database could not be read; names what to do.
public struct StatusReadError: Error, CustomStringConvertible {
    public let underlying: MariaDBError

    public var description: String {
        let text = "\(underlying)"
        // 1146 no such table, 1054 unknown column: Facteur's tables are missing or older than this binary.
        if underlying.serverCode == 1146 || underlying.serverCode == 1054 {
            return "cannot read the status: \(text) (run `facteur migrate` to create or update Facteur's tables)"
        }
        return "cannot read the status from the database: \(text)"
    }
}
