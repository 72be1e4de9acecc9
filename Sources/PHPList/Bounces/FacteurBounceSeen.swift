import MariaDB

/// `facteur_bounce_seen` (migrations/0005): one row per raw bounce message processed, keyed by SHA-256,
/// written in the transaction that writes the bounce's PHPList rows.
extension PHPListBounceWriter {
    public static let seenTable = "facteur_bounce_seen"

    /// Claims `sha256` for this transaction. False when the message was processed before (the row
    /// exists, or another transaction committed it while this one waited on its lock).
    public func claimSeen(sha256: [UInt8], source: String, size: Int) throws -> Bool {
        try connection.execute(
            "INSERT IGNORE INTO \(Self.seenTable) (sha256, source, size, processed) VALUES (?, ?, ?, NOW())",
            [sha256, String(source.prefix(255)), size]).affectedRows == 1
    }

    public func markSeen(sha256: [UInt8], bounce: Int) throws {
        try connection.execute("UPDATE \(Self.seenTable) SET bounce_id = ? WHERE sha256 = ?", [bounce, sha256])
    }

    /// The bounce id a message produced when it was first processed (nil: none stored, or unknown).
    public func seenBounce(sha256: [UInt8]) throws -> Int?? {
        guard let row = try connection.query("SELECT bounce_id FROM \(Self.seenTable) WHERE sha256 = ?", [sha256]).first else {
            return nil
        }
        return .some(try row.decode("bounce_id", as: Int?.self))
    }
}
