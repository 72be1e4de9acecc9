import Foundation
import MariaDB

/// One subscriber waiting for another attempt (`facteur_retries`).
public struct PendingRetry: Sendable, Equatable {
    public var campaign: Int
    public var subscriber: Int
    /// Attempts made so far.
    public var attempts: Int
    public var firstAttempt: Date
    public var nextAttempt: Date
    /// The last reply, for the operator (and the failure record when given up).
    public var lastReply: String
    public var domain: String

    public init(campaign: Int, subscriber: Int, attempts: Int, firstAttempt: Date, nextAttempt: Date,
                lastReply: String, domain: String) {
        self.campaign = campaign
        self.subscriber = subscriber
        self.attempts = attempts
        self.firstAttempt = firstAttempt
        self.nextAttempt = nextAttempt
        self.lastReply = lastReply
        self.domain = domain
    }
}

/// The retry schedule's table. Times are written and compared from Facteur's clock (UTC), never the
/// server's NOW(), so hosts in other zones agree.
public struct RetryStore: Sendable {
    public let pool: MariaDBPool

    public init(pool: MariaDBPool) { self.pool = pool }

    /// Inserts or replaces these retries (one batch); `first_attempt` of an existing row is kept.
    public func schedule(_ retries: [PendingRetry]) async throws {
        guard !retries.isEmpty else { return }
        let rows: [[any MariaDBEncodable]] = retries.map {
            [$0.campaign, $0.subscriber, $0.attempts, Self.seconds($0.firstAttempt), Self.seconds($0.nextAttempt),
             String($0.lastReply.prefix(512)), String($0.domain.prefix(255))]
        }
        _ = try await pool.executeBatch(
            """
            INSERT INTO facteur_retries (messageid, userid, attempts, first_attempt, next_attempt, last_reply, domain)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE attempts = VALUES(attempts), next_attempt = VALUES(next_attempt),
              last_reply = VALUES(last_reply)
            """, rows: rows)
    }

    /// Retries of `campaign` due at `now`, earliest first.
    public func due(campaign: Int, at now: Date, limit: Int = 1000) async throws -> [PendingRetry] {
        let rows = try await pool.query(
            """
            SELECT messageid, userid, attempts, first_attempt, next_attempt, last_reply, domain FROM facteur_retries
            WHERE messageid = ? AND next_attempt <= ? ORDER BY next_attempt, userid LIMIT ?
            """, [campaign, Self.seconds(now), limit])
        return try rows.map(Self.retry)
    }

    /// Every retry of `campaign` (for `facteur status` and tests).
    public func all(campaign: Int) async throws -> [PendingRetry] {
        let rows = try await pool.query(
            """
            SELECT messageid, userid, attempts, first_attempt, next_attempt, last_reply, domain FROM facteur_retries
            WHERE messageid = ? ORDER BY userid
            """, [campaign])
        return try rows.map(Self.retry)
    }

    /// Deletes the retries of these subscribers (sent, or given up).
    public func remove(campaign: Int, subscribers: [Int]) async throws {
        for start in stride(from: 0, to: subscribers.count, by: 500) {
            let part = Array(subscribers[start..<min(subscribers.count, start + 500)])
            let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
            try await pool.execute("DELETE FROM facteur_retries WHERE messageid = ? AND userid IN (\(marks))",
                                   [campaign as any MariaDBEncodable] + part.map { $0 as any MariaDBEncodable })
        }
    }

    public func pendingCount(campaign: Int) async throws -> Int {
        try await pool.query("SELECT COUNT(*) AS n FROM facteur_retries WHERE messageid = ?", [campaign])
            .first?.decode("n", as: Int.self) ?? 0
    }

    /// When the next retry of `campaign` is due; nil when none is pending.
    public func nextDue(campaign: Int) async throws -> Date? {
        let row = try await pool.query("SELECT MIN(next_attempt) AS t FROM facteur_retries WHERE messageid = ?", [campaign]).first
        guard let row, row["t"] != .null else { return nil }
        return try row.decode("t", as: Date.self)
    }

    /// DATETIME keeps whole seconds: round up so a retry is never written as due earlier than decided.
    static func seconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.up))
    }

    private static func retry(_ row: MariaDBRow) throws -> PendingRetry {
        PendingRetry(campaign: try row.decode("messageid", as: Int.self), subscriber: try row.decode("userid", as: Int.self),
                     attempts: try row.decode("attempts", as: Int.self),
                     firstAttempt: try row.decode("first_attempt", as: Date.self),
                     nextAttempt: try row.decode("next_attempt", as: Date.self),
                     lastReply: try row.decode("last_reply", as: String.self), domain: try row.decode("domain", as: String.self))
    }
}
