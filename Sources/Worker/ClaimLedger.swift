import Foundation
import Logging
import MariaDB

/// Facteur's own record of who holds which `active` claims (`facteur_workers`, `facteur_claim_batches`,
/// see migrations/), so the claims of a worker that died without giving them back can be recovered
/// by the rule written in migrations/0002_claim_batches.sql.
struct ClaimLedger: Sendable {
    let pool: MariaDBPool
    let workerID: String
    let userMessageTable: String
    let leaseSeconds: Int

    /// Registers this worker (or refreshes its heartbeat).
    func heartbeat() async throws {
        let host = ProcessInfo.processInfo.hostName
        try await pool.execute(
            """
            INSERT INTO facteur_workers (worker_id, host, pid, started, heartbeat, lease_seconds)
            VALUES (?, ?, ?, NOW(), NOW(), ?) ON DUPLICATE KEY UPDATE heartbeat = NOW(), lease_seconds = VALUES(lease_seconds)
            """, [workerID, String(host.prefix(255)), Int(ProcessInfo.processInfo.processIdentifier), leaseSeconds])
    }

    func deregister() async throws {
        try await pool.execute("DELETE FROM facteur_workers WHERE worker_id = ?", [workerID])
    }

    /// Notes a batch of claims this worker made; returns the ledger row id.
    func record(campaign: Int, userIDs: [Int]) async throws -> Int {
        guard !userIDs.isEmpty else { return 0 }
        let result = try await pool.execute(
            "INSERT INTO facteur_claim_batches (worker_id, messageid, userids, claimed) VALUES (?, ?, ?, NOW())",
            [workerID, campaign, userIDs.map(String.init).joined(separator: ",")])
        return Int(result.lastInsertID)
    }

    func drop(_ batch: Int) async throws {
        guard batch > 0 else { return }
        try await pool.execute("DELETE FROM facteur_claim_batches WHERE id = ?", [batch])
    }

    /// Applies the recovery rule to `campaign`: `active` rows listed by dead workers' batches are deleted.
    /// Returns how many claims were given back.
    func recoverDeadClaims(campaign: Int) async throws -> Int {
        let table = userMessageTable
        return try await pool.transaction { connection in
            let dead = try connection.query(
                """
                SELECT b.id, b.userids FROM facteur_claim_batches b
                LEFT JOIN facteur_workers w ON w.worker_id = b.worker_id
                WHERE b.messageid = ? AND (w.worker_id IS NULL OR w.heartbeat < NOW() - INTERVAL w.lease_seconds SECOND)
                FOR UPDATE
                """, [campaign])
            var recovered = 0
            for row in dead {
                let ids = try row.decode("userids", as: String.self).split(separator: ",").compactMap { Int($0) }
                for chunk in stride(from: 0, to: ids.count, by: 500) {
                    let part = Array(ids[chunk..<min(ids.count, chunk + 500)])
                    let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
                    let params: [any MariaDBEncodable] = [campaign] + part.map { $0 as any MariaDBEncodable }
                    recovered += Int(try connection.execute(
                        "DELETE FROM \(table) WHERE messageid = ? AND status = 'active' AND userid IN (\(marks))",
                        params).affectedRows)
                }
                try connection.execute("DELETE FROM facteur_claim_batches WHERE id = ?", [try row.decode("id", as: Int.self)])
            }
            return recovered
        }
    }

    /// Claims on `campaign` held by other workers that are alive (heartbeat within their lease): those
    /// subscribers are theirs to finish.
    func liveClaimsOfOthers(campaign: Int) async throws -> Int {
        let rows = try await pool.query(
            """
            SELECT COALESCE(SUM(1 + LENGTH(b.userids) - LENGTH(REPLACE(b.userids, ',', ''))), 0) AS claims
            FROM facteur_claim_batches b JOIN facteur_workers w ON w.worker_id = b.worker_id
            WHERE b.messageid = ? AND b.worker_id <> ? AND w.heartbeat >= NOW() - INTERVAL w.lease_seconds SECOND
            """, [campaign, workerID])
        return try rows.first?.decode("claims", as: Int.self) ?? 0
    }
}
