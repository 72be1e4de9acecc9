import MariaDB

/// The rows processbounces reads and writes for bounce rules (`bounceregex`, `bounceregex_bounce`).
extension PHPListBounceWriter {
    /// loadBounceRules(): active rules by listorder, one per distinct regex text (PHP keys the array by
    /// the regex: a later duplicate replaces the earlier one's action and id but keeps its position).
    public func activeBounceRules() throws -> [BounceRule] {
        let rows = try connection.query(
            "SELECT id, regex, action, listorder, status, count FROM \(tables.bounceRegex) WHERE status = 'active' ORDER BY listorder")
        var order: [String] = []
        var byRegex: [String: BounceRule] = [:]
        for row in rows {
            let regex = try row.decode("regex", as: String?.self) ?? ""
            let action = try row.decode("action", as: String?.self) ?? ""
            guard !regex.isEmpty, !action.isEmpty else { continue }
            if byRegex[regex] == nil { order.append(regex) }
            byRegex[regex] = BounceRule(id: try row.decode("id"), regex: regex, rawAction: action,
                                        listOrder: try row.decode("listorder", as: Int?.self) ?? 0, active: true,
                                        count: try row.decode("count", as: Int?.self) ?? 0)
        }
        return order.compactMap { byRegex[$0] }
    }

    /// Links rule and bounce; true when the pair is new (then the rule's count goes up by one, so
    /// `count` is the number of distinct bounces the rule matched).
    public func linkRule(_ rule: Int, bounce: Int) throws -> Bool {
        let inserted = try connection.execute(
            "INSERT IGNORE INTO \(tables.bounceRegexBounce) (regex, bounce) VALUES (?, ?)", [rule, bounce]).affectedRows == 1
        if inserted {
            try connection.execute("UPDATE \(tables.bounceRegex) SET count = count + 1 WHERE id = ?", [rule])
        }
        return inserted
    }
}

/// A bounce joined to its `user_message_bounce` row, as the rules pass reads it.
public struct LinkedBounce: Sendable {
    public let bounce: Int
    public let user: Int
    public let header: String
    public let data: [UInt8]
}

extension PHPListDatabase {
    /// Bounces with a `user_message_bounce` row that no rule has matched yet, in id order, from `after`.
    public func unmatchedLinkedBounces(after: Int, limit: Int) async throws -> [LinkedBounce] {
        let tables = self.tables
        let rows = try await pool.query(
            """
            SELECT b.id AS bounce, umb.user AS user, COALESCE(b.header, '') AS header, COALESCE(b.data, '') AS data
            FROM \(tables.bounce) b JOIN \(tables.userMessageBounce) umb ON b.id = umb.bounce
            WHERE b.id > ? AND NOT EXISTS (SELECT 1 FROM \(tables.bounceRegexBounce) rb WHERE rb.bounce = b.id)
            ORDER BY b.id LIMIT ?
            """, [after, limit])
        return try rows.map { row in
            let data: [UInt8]
            switch row["data"] {
            case .bytes(let bytes): data = bytes
            case .string(let text): data = Array(text.utf8)
            default: data = []
            }
            return LinkedBounce(bounce: try row.decode("bounce"), user: try row.decode("user"),
                                header: try row.decode("header", as: String?.self) ?? "", data: data)
        }
    }

    /// Subscribers the consecutive-bounce pass looks at: confirmed, not blacklisted, with bounces.
    public func confirmedSubscribersWithBounces() async throws -> [Int] {
        try await pool.query(
            """
            SELECT DISTINCT umb.user AS user FROM \(tables.userMessageBounce) umb, \(tables.user) u
            WHERE u.id = umb.user AND u.confirmed AND !u.blacklisted ORDER BY umb.user
            """).map { try $0.decode("user") }
    }
}

/// One `usermessage` row ('sent') of a subscriber, newest first, with the bounce it got if any.
public struct SentMessageBounce: Sendable, Equatable {
    public let message: Int
    /// `user_message_bounce.bounce`, nil when the message did not bounce.
    public let bounce: Int?
    public let status: String?
    public let comment: String?

    public init(message: Int, bounce: Int?, status: String?, comment: String?) {
        self.message = message
        self.bounce = bounce
        self.status = status
        self.comment = comment
    }
}

extension PHPListBounceWriter {
    /// processbounces' per-subscriber query (PHPList 3.6.15, "17361"): sent messages newest first,
    /// each with its bounces and their status/comment.
    public func sentMessagesWithBounces(user: Int) throws -> [SentMessageBounce] {
        try connection.query(
            """
            SELECT um.messageid AS message, umb.bounce AS bounce, b.status AS status, b.comment AS comment
            FROM \(tables.userMessage) um
            LEFT JOIN \(tables.userMessageBounce) umb ON (um.messageid = umb.message AND um.userid = umb.user)
            LEFT JOIN \(tables.bounce) b ON umb.bounce = b.id
            WHERE um.userid = ? AND um.status = 'sent' ORDER BY um.entered DESC
            """, [user]).map {
            SentMessageBounce(message: try $0.decode("message"), bounce: try $0.decode("bounce", as: Int?.self),
                              status: try $0.decode("status", as: String?.self), comment: try $0.decode("comment", as: String?.self))
        }
    }
}
