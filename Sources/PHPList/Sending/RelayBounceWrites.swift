import MariaDB

/// A recipient the relay refused for good (5xx): recorded as processbounces records an identified bounce.
public struct RelayRejection: Sendable, Equatable {
    public let userID: Int
    public let email: String
    /// The relay's name as the operator configured it.
    public let relay: String
    /// The relay's full reply, all lines.
    public let reply: String

    public init(userID: Int, email: String, relay: String, reply: String) {
        self.userID = userID
        self.email = email
        self.relay = relay
        self.reply = reply
    }
}

extension PHPListDatabase {
    /// usermessage 'sent' (as PHPList counts a message handed over), a `bounce` row (status
    /// `bounced list message <id>`, comment `<user> bouncecount increased`, a synthetic header naming
    /// relay and recipient, data = the reply), a `user_message_bounce` row, and both bounce counters +1.
    public func recordRelayRejections(campaign: Int, _ rejections: [RelayRejection]) async throws {
        guard !rejections.isEmpty else { return }
        let tables = self.tables
        _ = try await pool.transaction { connection in
            for r in rejections {
                try connection.execute(
                    "UPDATE \(tables.userMessage) SET status = 'sent', entered = NOW() WHERE messageid = ? AND userid = ?",
                    [campaign, r.userID])
                let header = "X-Facteur-Relay: \(r.relay)\r\nX-Facteur-Recipient: \(r.email)\r\n"
                    + "Subject: relay refused campaign \(campaign) for \(r.email)\r\n"
                let bounce = try connection.execute(
                    "INSERT INTO \(tables.bounce) (date, header, data, status, comment) VALUES (NOW(), ?, ?, ?, ?)",
                    [header, Array(r.reply.utf8), "bounced list message \(campaign)", "\(r.userID) bouncecount increased"])
                try connection.execute(
                    "INSERT INTO \(tables.userMessageBounce) (user, message, bounce, time) VALUES (?, ?, ?, NOW())",
                    [r.userID, campaign, Int(bounce.lastInsertID)])
                try connection.execute("UPDATE \(tables.user) SET bouncecount = bouncecount + 1 WHERE id = ?", [r.userID])
            }
            try connection.execute(
                "UPDATE \(tables.message) SET bouncecount = bouncecount + ? WHERE id = ?", [rejections.count, campaign])
            return 0
        }
    }
}
