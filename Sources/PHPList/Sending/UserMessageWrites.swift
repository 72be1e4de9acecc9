import MariaDB

/// `usermessage` rows: the claim (`active`, inserted before a message is handed to a relay) and its
/// outcome. The (userid, messageid) primary key is what makes a send happen at most once.
extension PHPListDatabase {
    /// Claims `userIDs` for `campaign` (`active`, entered = now()) and returns the ids actually claimed.
    /// Fast path: one array-bound INSERT in a transaction; if any row already exists (another worker,
    /// an admin action) the transaction is rolled back and the rows are claimed one by one with
    /// INSERT IGNORE, keeping only those this call inserted.
    public func claimRecipients(campaign: Int, userIDs: [Int]) async throws -> [Int] {
        guard !userIDs.isEmpty else { return [] }
        let table = tables.userMessage
        let insert = "INSERT INTO \(table) (messageid, userid, entered, status) VALUES (?, ?, NOW(), 'active')"
        let rows: [[any MariaDBEncodable]] = userIDs.map { [campaign, $0] }
        do {
            _ = try await pool.transaction { connection in try connection.executeBatch(insert, rows: rows) }
            return userIDs
        } catch let error as MariaDBError where error.serverCode == 1062 {
            return try await pool.withConnection { connection in
                var claimed: [Int] = []
                for id in userIDs {
                    let result = try connection.execute(
                        "INSERT IGNORE INTO \(table) (messageid, userid, entered, status) VALUES (?, ?, NOW(), 'active')",
                        [campaign, id])
                    if result.affectedRows == 1 { claimed.append(id) }
                }
                return claimed
            }
        }
    }

    /// active → `status` (entered = now()) for the given subscribers.
    public func settleClaims(campaign: Int, userIDs: [Int], status: String) async throws {
        guard !userIDs.isEmpty else { return }
        let marks = Array(repeating: "?", count: userIDs.count).joined(separator: ",")
        try await pool.execute(
            "UPDATE \(tables.userMessage) SET status = ?, entered = NOW() WHERE messageid = ? AND userid IN (\(marks))",
            SQLParameters.list([status, campaign], userIDs))
    }

    /// Gives claims back (transient failure, shutdown, suspension): the `active` rows are deleted so the
    /// subscribers are selected again, as PHPList does on an SMTP failure.
    public func releaseClaims(campaign: Int, userIDs: [Int]) async throws {
        guard !userIDs.isEmpty else { return }
        let marks = Array(repeating: "?", count: userIDs.count).joined(separator: ",")
        try await pool.execute(
            "DELETE FROM \(tables.userMessage) WHERE messageid = ? AND status = 'active' AND userid IN (\(marks))",
            SQLParameters.list([campaign], userIDs))
    }

    /// Subscribers whose address fails is_email: usermessage 'invalid email address', the subscriber set
    /// unconfirmed, a history line and an event-log line each (processqueue's writes, batched).
    public func recordInvalidAddresses(campaign: Int, _ subscribers: [(id: Int, email: String)]) async throws {
        guard !subscribers.isEmpty else { return }
        let ids = subscribers.map(\.id)
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let tables = self.tables
        let historyRows = Array(repeating: "(?, '', NOW(), ?, ?, '')", count: ids.count).joined(separator: ", ")
        var historyParams: [any MariaDBEncodable] = []
        for id in ids {
            historyParams += [id, "Subscriber marked unconfirmed for invalid email address",
                              "Marked unconfirmed while sending campaign \(campaign)"]
        }
        let history = historyParams
        let entries = subscribers.map { "Invalid email address: userid  \($0.id)  email \($0.email)" }
        let logRows = Array(repeating: "(NOW(), 'processqueue', ?)", count: entries.count).joined(separator: ", ")
        _ = try await pool.transaction { connection in
            try connection.execute(
                "UPDATE \(tables.userMessage) SET status = 'invalid email address', entered = NOW() WHERE messageid = ? AND userid IN (\(marks))",
                SQLParameters.list([campaign], ids))
            try connection.execute("UPDATE \(tables.user) SET confirmed = 0 WHERE id IN (\(marks))", ids)
            try connection.execute(
                "INSERT INTO \(tables.userHistory) (userid, ip, date, summary, detail, systeminfo) VALUES \(historyRows)",
                history)
            try connection.execute("INSERT INTO \(tables.eventLog) (entered, page, entry) VALUES \(logRows)", entries)
            return 0
        }
    }

    /// Number of `active` claims left for a campaign (claims in flight or of a dead worker).
    public func activeClaimCount(campaign: Int) async throws -> Int {
        let rows = try await pool.query(
            "SELECT COUNT(*) AS n FROM \(tables.userMessage) WHERE messageid = ? AND status = 'active'", [campaign])
        return try rows.first?.decode("n", as: Int?.self) ?? 0
    }
}

extension PHPListDatabase {
    /// processqueue's list exclusion (USE_LIST_EXCLUDE): every member of an excluded list gets a
    /// usermessage row `excluded` for the campaign before recipients are selected, so none is sent it.
    /// PHPList uses REPLACE, which would turn an earlier `sent` row into `excluded`; Facteur leaves
    /// existing rows alone (INSERT IGNORE), so history is never rewritten. Returns the rows added.
    @discardableResult
    public func excludeListMembers(campaign: Int, lists: [Int]) async throws -> Int {
        guard !lists.isEmpty else { return 0 }
        let marks = Array(repeating: "?", count: lists.count).joined(separator: ",")
        let result = try await pool.execute(
            """
            INSERT IGNORE INTO \(tables.userMessage) (entered, userid, messageid, status)
            SELECT NOW(), userid, ?, 'excluded' FROM \(tables.listUser) WHERE listid IN (\(marks)) GROUP BY userid
            """, SQLParameters.list([campaign], lists))
        return Int(result.affectedRows)
    }
}
