import MariaDB

/// `facteur_bounce_seen` (migrations/0005): one row per raw bounce message processed, keyed by SHA-256,
/// written in the transaction that writes the bounce's PHPList rows.
extension PHPListBounceWriter {
    public static let seenTable = "facteur_bounce_seen"

    /// Records that the message with this SHA-256 produced `bounce` (nil: nothing stored). False when it was
    /// processed before: the row exists, or another transaction committed it while this one waited on its
    /// lock; the caller then rolls back everything it wrote.
    /// `reason` and `hard` (the classifier's verdict, migrations/0008) feed `facteur status`'s bounces by reason.
    public func recordSeen(sha256: [UInt8], bounce: Int?, source: String, size: Int, reason: String = "", hard: Bool = false) throws -> Bool {
        try connection.execute(
            "INSERT IGNORE INTO \(Self.seenTable) (sha256, bounce_id, source, size, processed, reason, hard) VALUES (?, ?, ?, ?, NOW(), ?, ?)",
            [sha256, bounce, String(source.prefix(255)), size, String(reason.prefix(32)), hard ? 1 : 0]).affectedRows == 1
    }

    /// The bounce id a message produced when it was first processed (nil: none stored, or unknown).
    public func seenBounce(sha256: [UInt8]) throws -> Int?? {
        guard let row = try connection.query("SELECT bounce_id FROM \(Self.seenTable) WHERE sha256 = ?", [sha256]).first else {
            return nil
        }
        return .some(try row.decode("bounce_id", as: Int?.self))
    }
}
