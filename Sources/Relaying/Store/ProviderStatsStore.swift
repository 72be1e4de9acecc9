import Foundation
import MariaDB

/// `facteur_provider_stats` (migrations/0003_relaying.sql): sent and deferred from the sender, soft and
/// hard bounces from the bounce processor, per provider and 5-minute window. Writers only add.
public struct ProviderStatsStore: Sendable {
    public static let windowSeconds = 300.0
    public let pool: MariaDBPool

    public init(pool: MariaDBPool) { self.pool = pool }

    /// The start of the window `date` falls in.
    public static func windowStart(of date: Date) -> Date {
        let seconds = date.timeIntervalSince1970
        return Date(timeIntervalSince1970: (seconds / windowSeconds).rounded(.down) * windowSeconds)
    }

    /// Adds `counts` to their rows (creating them), in one batch.
    public func add(_ counts: [ProviderWindowCounts]) async throws {
        guard !counts.isEmpty else { return }
        let rows: [[any MariaDBEncodable]] = counts.map {
            [String($0.provider.prefix(255)), Self.windowStart(of: $0.windowStart), $0.sent, $0.deferred, $0.softBounces, $0.hardBounces]
        }
        _ = try await pool.executeBatch(
            """
            INSERT INTO facteur_provider_stats (provider, window_start, sent, deferred, soft_bounces, hard_bounces)
            VALUES (?, ?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE sent = sent + VALUES(sent), deferred = deferred + VALUES(deferred),
              soft_bounces = soft_bounces + VALUES(soft_bounces), hard_bounces = hard_bounces + VALUES(hard_bounces)
            """, rows: rows)
    }

    /// Totals per provider over the windows starting at or after `since`; `windowStart` of each
    /// result is `since`'s window.
    public func totals(since: Date) async throws -> [ProviderWindowCounts] {
        let start = Self.windowStart(of: since)
        let rows = try await pool.query(
            """
            SELECT provider, SUM(sent) AS sent, SUM(deferred) AS deferred, SUM(soft_bounces) AS soft,
              SUM(hard_bounces) AS hard
            FROM facteur_provider_stats WHERE window_start >= ? GROUP BY provider ORDER BY provider
            """, [start])
        return try rows.map {
            ProviderWindowCounts(provider: try $0.decode("provider", as: String.self), windowStart: start,
                                 sent: try $0.decode("sent", as: Int.self), deferred: try $0.decode("deferred", as: Int.self),
                                 softBounces: try $0.decode("soft", as: Int.self), hardBounces: try $0.decode("hard", as: Int.self))
        }
    }

    /// Deletes windows older than `before` (the table is a recent history, not an archive).
    @discardableResult
    public func prune(before: Date) async throws -> Int {
        Int(try await pool.execute("DELETE FROM facteur_provider_stats WHERE window_start < ?", [before]).affectedRows)
    }
}
