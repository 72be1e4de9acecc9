import Foundation

extension BounceMailboxLease {
    /// Takes the lease from `holder` when `holder` is a Facteur process of this host that no longer
    /// exists (killed or crashed while reading): its bounces are then read now, not when the lease
    /// expires. False when the holder is alive, on another host, or the lease changed hands meanwhile.
    public func takeOverFromDeadProcess(_ holder: String) async throws -> Bool {
        let host = ProcessInfo.processInfo.hostName
        guard let pid = BounceBatch.facteurPID(holder, host: host), kill(pid, 0) != 0, errno == ESRCH else { return false }
        let result = try await pool.execute(
            """
            UPDATE facteur_bounce_mailbox_leases SET worker_id = ?, acquired = NOW(6), expires = NOW(6) + INTERVAL ? SECOND
            WHERE mailbox_key = ? AND worker_id = ?
            """, [workerID, seconds, mailbox, holder])
        return result.affectedRows == 1
    }
}
