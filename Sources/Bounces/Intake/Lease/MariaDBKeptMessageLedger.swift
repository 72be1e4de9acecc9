import MariaDB

/// `KeptMessageLedger` in `facteur_bounce_mailbox_kept` (migrations/0004_bounce_mailboxes.sql).
public struct MariaDBKeptMessageLedger: KeptMessageLedger {
    public let pool: MariaDBPool

    public init(pool: MariaDBPool) {
        self.pool = pool
    }

    public func keptIDs(mailbox: String) async throws -> Set<String> {
        let rows = try await pool.query("SELECT message_id FROM facteur_bounce_mailbox_kept WHERE mailbox_key = ?", [mailbox])
        return Set(try rows.map { try $0.decode("message_id", as: String.self) })
    }

    public func recordKept(mailbox: String, id: String) async throws {
        try await pool.execute(
            "INSERT IGNORE INTO facteur_bounce_mailbox_kept (mailbox_key, message_id, kept) VALUES (?, ?, NOW())",
            [mailbox, id])
    }

    public func forgetAbsent(mailbox: String, present: Set<String>) async throws {
        let kept = try await keptIDs(mailbox: mailbox)
        let gone = Array(kept.subtracting(present))
        for start in stride(from: 0, to: gone.count, by: 500) {
            let part = gone[start..<min(gone.count, start + 500)]
            let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
            try await pool.execute(
                "DELETE FROM facteur_bounce_mailbox_kept WHERE mailbox_key = ? AND message_id IN (\(marks))",
                [mailbox] + part.map { $0 as any MariaDBEncodable })
        }
    }
}
