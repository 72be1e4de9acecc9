import MariaDB

/// The statements PHPList 3.6.15's processbounces (and the user library it calls) runs for one bounce,
/// on a connection the caller holds inside a transaction. Texts are PHPList's own (measured against
/// `sample-bounced.sql.gz` where PHPList's translation differs from its source).
public struct PHPListBounceWriter {
    public let connection: MariaDBConnection
    public let tables: TableNames
    /// `phplist_eventlog.page` of the lines written.
    public let page: String

    public init(connection: MariaDBConnection, tables: TableNames, page: String = "processbounces") {
        self.connection = connection
        self.tables = tables
        self.page = page
    }

    // MARK: - The bounce row

    /// `insert into bounce (date,header,data)` and the status/comment PHPList sets right after, in one
    /// statement. `date` is a unix time rendered in the server's zone (PHPList formats it with PHP's zone,
    /// the same on a normal installation); nil = now().
    public func insertBounce(unixDate: Int?, header: String, data: [UInt8], status: String, comment: String) throws -> Int {
        let date = unixDate == nil ? "NOW()" : "FROM_UNIXTIME(?)"
        let params: [any MariaDBEncodable] = (unixDate.map { [$0] } ?? []) + [header, data, status, comment]
        let result = try connection.execute(
            "INSERT INTO \(tables.bounce) (date, header, data, status, comment) VALUES (\(date), ?, ?, ?, ?)", params)
        return Int(result.lastInsertID)
    }

    public func setStatus(bounce: Int, status: String, comment: String) throws {
        try connection.execute("UPDATE \(tables.bounce) SET status = ?, comment = ? WHERE id = ?", [status, comment, bounce])
    }

    /// Rows of `user_message_bounce` for a subscriber and campaign (PHPList's duplicate test).
    public func userMessageBounceCount(user: Int, message: Int) throws -> Int {
        try connection.query("SELECT COUNT(*) AS n FROM \(tables.userMessageBounce) WHERE user = ? AND message = ?",
                             [user, message]).first?.decode("n", as: Int.self) ?? 0
    }

    /// `time` defaults to now() as in PHPList's list-message case; the system-message case passes the bounce date.
    public func insertUserMessageBounce(user: Int, message: Int, bounce: Int, unixTime: Int? = nil) throws {
        if let unixTime {
            try connection.execute(
                "INSERT INTO \(tables.userMessageBounce) (user, message, bounce, time) VALUES (?, ?, ?, FROM_UNIXTIME(?))",
                [user, message, bounce, unixTime])
        } else {
            try connection.execute("INSERT INTO \(tables.userMessageBounce) (user, message, bounce) VALUES (?, ?, ?)",
                                   [user, message, bounce])
        }
    }

    public func incrementMessageBounceCount(_ message: Int) throws {
        try connection.execute("UPDATE \(tables.message) SET bouncecount = bouncecount + 1 WHERE id = ?", [message])
    }

    public func incrementUserBounceCount(_ user: Int) throws {
        try connection.execute("UPDATE \(tables.user) SET bouncecount = bouncecount + 1 WHERE id = ?", [user])
    }

    // MARK: - Subscribers

    /// `select id from user where email = "…"` (the column's collation decides, as in PHPList).
    public func userID(email: String) throws -> Int? {
        try connection.query("SELECT id FROM \(tables.user) WHERE email = ? LIMIT 1", [email]).first?.decode("id", as: Int.self)
    }

    /// Ids of the subscribers among `emails`, by lowercased email, in one query (the column's
    /// case-insensitive collation decides what matches, as for `userID(email:)`).
    public func userIDs(emails: [String]) throws -> [String: Int] {
        var found: [String: Int] = [:]
        let unique = Array(Set(emails.map { $0.lowercased() }))
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = Array(unique[start..<min(start + 500, unique.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try connection.query("SELECT id, email FROM \(tables.user) WHERE email IN (\(marks))", chunk) {
                found[(try row.decode("email", as: String.self)).lowercased()] = try row.decode("id")
            }
        }
        return found
    }

    public func userID(uniqid: String) throws -> Int? {
        try connection.query("SELECT id FROM \(tables.user) WHERE uniqid = ? LIMIT 1", [uniqid]).first?.decode("id", as: Int.self)
    }

    public struct SubscriberState: Sendable, Equatable {
        public let id: Int
        public let email: String
        public let confirmed: Bool
        public let blacklisted: Bool
    }

    /// The subscriber's row, locked until the transaction ends so that concurrent bounces for the same
    /// subscriber see each other's `user_message_bounce` rows.
    public func lockSubscriber(_ id: Int) throws -> SubscriberState? {
        guard let row = try connection.query(
            "SELECT id, email, confirmed, blacklisted FROM \(tables.user) WHERE id = ? FOR UPDATE", [id]).first else { return nil }
        return SubscriberState(id: try row.decode("id"), email: try row.decode("email", as: String?.self) ?? "",
                               confirmed: (try row.decode("confirmed", as: Int?.self) ?? 0) != 0,
                               blacklisted: (try row.decode("blacklisted", as: Int?.self) ?? 0) != 0)
    }

    public func setConfirmed(_ user: Int, _ confirmed: Bool) throws {
        try connection.execute("UPDATE \(tables.user) SET confirmed = ? WHERE id = ?", [confirmed ? 1 : 0, user])
    }

    /// PHPList's addUserHistory: a row only when a subscriber has that email; detail HTML-escaped,
    /// ip and systeminfo empty as on the command line.
    public func addUserHistory(email: String, summary: String, detail: String) throws {
        guard let user = try userID(email: email) else { return }
        try addUserHistory(user: user, summary: summary, detail: detail)
    }

    public func addUserHistory(user: Int, summary: String, detail: String) throws {
        let text = detail.isEmpty ? summary : detail
        try connection.execute(
            "INSERT INTO \(tables.userHistory) (ip, userid, date, summary, detail, systeminfo) VALUES ('', ?, NOW(), ?, ?, '')",
            [user, summary, PHPStrings.htmlSpecialChars(text)])
    }

    public func logEvent(_ entry: String) throws {
        try connection.execute("INSERT INTO \(tables.eventLog) (entered, page, entry) VALUES (NOW(), ?, ?)", [page, entry])
    }

    /// addSubscriberStatistics with STATS_INTERVAL daily: today's row of `item` (list 0) +1.
    public func addSubscriberStatistics(_ item: String) throws {
        try connection.execute(
            """
            INSERT INTO \(tables.userStats) (unixdate, item, listid, value) VALUES (UNIX_TIMESTAMP(CURDATE()), ?, 0, 1)
            ON DUPLICATE KEY UPDATE value = value + 1
            """, [item])
    }

    /// addEmailToBlackList: blacklist row, reason, history "Added to blacklist".
    public func addEmailToBlacklist(email: String, reason: String) throws {
        try connection.execute("INSERT IGNORE INTO \(tables.userBlacklist) (email, added) VALUES (?, NOW())", [email])
        try connection.execute("INSERT IGNORE INTO \(tables.userBlacklistData) (email, name, data) VALUES (?, 'reason', ?)",
                               [email, reason])
        try addUserHistory(email: email, summary: "Added to blacklist", detail: "Added to blacklist for reason \(reason)")
    }

    /// addUserToBlackList: the subscriber flagged, then addEmailToBlackList.
    public func addUserToBlacklist(email: String, reason: String) throws {
        try connection.execute("UPDATE \(tables.user) SET blacklisted = 1 WHERE email = ?", [email])
        try addEmailToBlacklist(email: email, reason: reason)
    }

    /// deleteUser (deleteUserLeaveBlacklist): every row of the subscriber except the blacklist's.
    public func deleteUser(_ id: Int) throws {
        try connection.execute("DELETE FROM \(tables.prefix)linktrack_uml_click WHERE userid = ?", [id])
        try connection.execute("DELETE FROM \(tables.listUser) WHERE userid = ?", [id])
        try connection.execute("DELETE FROM \(tables.userMessage) WHERE userid = ?", [id])
        try connection.execute("DELETE FROM \(tables.userAttribute) WHERE userid = ?", [id])
        try connection.execute("DELETE FROM \(tables.userHistory) WHERE userid = ?", [id])
        try connection.execute("DELETE FROM \(tables.userMessageBounce) WHERE user = ?", [id])
        try connection.execute("DELETE FROM \(tables.userPrefix)message_forward WHERE user = ?", [id])
        try connection.execute("DELETE FROM \(tables.user) WHERE id = ?", [id])
        try connection.execute("DELETE FROM \(tables.prefix)user_message_view WHERE userid = ?", [id])
    }

    /// deleteBounce: the bounce and what links to it.
    public func deleteBounce(_ id: Int) throws {
        try connection.execute("DELETE FROM \(tables.bounce) WHERE id = ?", [id])
        try connection.execute("DELETE FROM \(tables.userMessageBounce) WHERE bounce = ?", [id])
        try connection.execute("DELETE FROM \(tables.bounceRegexBounce) WHERE bounce = ?", [id])
    }
}
