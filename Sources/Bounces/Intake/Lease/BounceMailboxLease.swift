import MariaDB

/// One reader per mailbox among Facteur workers: a row in `facteur_bounce_mailbox_leases`
/// (migrations/0004_bounce_mailboxes.sql) held by one worker until it expires. The holder renews
/// it while reading (well before `seconds` run out) and releases it when done; a worker that dies
/// simply lets it expire, and another worker takes it over. Times are the database's clock, so
/// workers on hosts with skewed clocks agree.
public struct BounceMailboxLease: Sendable {
    public let pool: MariaDBPool
    /// `BounceMailbox.key`.
    public let mailbox: String
    /// The worker id as in `facteur_workers.worker_id`.
    public let workerID: String
    public let seconds: Int

    public init(pool: MariaDBPool, mailbox: String, workerID: String, seconds: Int = 120) {
        precondition(seconds > 0, "a lease lasts at least one second")
        self.pool = pool
        self.mailbox = mailbox
        self.workerID = workerID
        self.seconds = seconds
    }

    /// Takes the lease if it is free, expired or already ours (then it is extended).
    /// Returns false while another worker holds it.
    public func acquire() async throws -> Bool {
        let (mailbox, workerID, seconds) = (mailbox, workerID, seconds)
        // The row exists from now on, so the locking read below always has a row to lock. This
        // runs on its own: inside the transaction, the shared lock INSERT IGNORE takes on an
        // existing row would deadlock two acquirers that both then ask for the exclusive one.
        try await pool.execute(
            """
            INSERT IGNORE INTO facteur_bounce_mailbox_leases (mailbox_key, worker_id, acquired, expires)
            VALUES (?, '', NOW(6), NOW(6) - INTERVAL 1 SECOND)
            """, [mailbox])
        return try await pool.transaction { connection in
            let rows = try connection.query(
                """
                SELECT worker_id, expires < NOW(6) AS expired FROM facteur_bounce_mailbox_leases
                WHERE mailbox_key = ? FOR UPDATE
                """, [mailbox])
            guard let row = rows.first else { return false }
            let holder = try row.decode("worker_id", as: String.self)
            let expired = try row.decode("expired", as: Int.self) != 0
            guard holder == workerID || expired else { return false }
            try connection.execute(
                """
                UPDATE facteur_bounce_mailbox_leases
                SET acquired = IF(worker_id = ?, acquired, NOW(6)), worker_id = ?, expires = NOW(6) + INTERVAL ? SECOND
                WHERE mailbox_key = ?
                """, [workerID, workerID, seconds, mailbox])
            return true
        }
    }

    /// Extends the lease; false when it is no longer ours (it expired and another worker took
    /// it): the caller must stop reading the mailbox at once.
    public func renew() async throws -> Bool {
        let result = try await pool.execute(
            """
            UPDATE facteur_bounce_mailbox_leases SET expires = NOW(6) + INTERVAL ? SECOND
            WHERE mailbox_key = ? AND worker_id = ? AND expires >= NOW(6)
            """, [seconds, mailbox, workerID])
        return result.affectedRows == 1
    }

    /// Gives the lease up (only if it is still ours).
    public func release() async throws {
        try await pool.execute(
            """
            UPDATE facteur_bounce_mailbox_leases SET worker_id = '', expires = NOW(6) - INTERVAL 1 SECOND
            WHERE mailbox_key = ? AND worker_id = ?
            """, [mailbox, workerID])
    }

    /// The worker holding the lease now, if any.
    public func holder() async throws -> String? {
        let rows = try await pool.query(
            "SELECT worker_id FROM facteur_bounce_mailbox_leases WHERE mailbox_key = ? AND expires >= NOW(6) AND worker_id <> ''",
            [mailbox])
        return try rows.first?.decode("worker_id", as: String.self)
    }
}
