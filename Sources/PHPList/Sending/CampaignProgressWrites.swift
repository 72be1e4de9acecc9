import MariaDB

/// processqueue's writes to the campaign row, its `messagedata` keys and the event log.
extension PHPListDatabase {
    /// The campaign's current `message.status` (re-read so an admin's suspend or requeue is seen).
    public func campaignStatus(id: Int) async throws -> Campaign.Status? {
        let rows = try await pool.query("SELECT status FROM \(tables.message) WHERE id = ?", [id])
        return try rows.first.map { Campaign.Status(try $0.decode("status", as: String?.self) ?? "") }
    }

    /// submitted → inprocess, `sendstart` set when NULL. False when the admin changed the status meanwhile.
    public func markCampaignInProcess(id: Int) async throws -> Bool {
        try await pool.execute(
            """
            UPDATE \(tables.message) SET status = 'inprocess', sendstart = COALESCE(sendstart, NOW())
            WHERE id = ? AND status NOT IN ('draft', 'sent', 'prepared', 'suspended')
            """, [id]).affectedRows == 1
    }

    /// inprocess → sent with `sent = now()`, only while still inprocess.
    public func markCampaignSent(id: Int) async throws {
        try await pool.execute(
            "UPDATE \(tables.message) SET status = 'sent', sent = NOW() WHERE id = ? AND status = 'inprocess'", [id])
    }

    /// `processed` and the per-format counters, in one statement per batch of outcomes.
    public func addCampaignCounters(id: Int, processed: Int, formats: [String: Int]) async throws {
        let allowed = ["astext", "ashtml", "astextandhtml", "aspdf", "astextandpdf"]
        var sets = ["processed = processed + ?"]
        var params: [any MariaDBEncodable] = [processed]
        for name in allowed { if let n = formats[name], n > 0 { sets.append("\(name) = \(name) + ?"); params.append(n) } }
        guard processed > 0 || params.count > 1 else { return }
        params.append(id)
        try await pool.execute("UPDATE \(tables.message) SET \(sets.joined(separator: ", ")) WHERE id = ?", params)
    }

    /// setMessageData: `REPLACE INTO messagedata` for several keys at once (values stored as PHPList stores
    /// plain strings).
    public func setMessageData(campaign: Int, _ values: [(String, String)]) async throws {
        guard !values.isEmpty else { return }
        let rows = Array(repeating: "(?, ?, ?)", count: values.count).joined(separator: ", ")
        var params: [any MariaDBEncodable] = []
        for (name, value) in values { params += [campaign, name, PHPStrings.addSlashes(value)] }
        try await pool.execute("REPLACE INTO \(tables.messageData) (id, name, data) VALUES \(rows)", params)
    }

    /// `INSERT IGNORE` of a messagedata key holding NOW() (start_notified keeps its first value).
    public func setMessageDataNowIfAbsent(campaign: Int, name: String) async throws {
        try await pool.execute(
            "INSERT IGNORE INTO \(tables.messageData) (id, name, data) VALUES (?, ?, DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s'))",
            [campaign, name])
    }

    /// `REPLACE` of a messagedata key holding NOW() (end_notified).
    public func setMessageDataNow(campaign: Int, name: String) async throws {
        try await pool.execute(
            "REPLACE INTO \(tables.messageData) (id, name, data) VALUES (?, ?, DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s'))",
            [campaign, name])
    }

    /// Event-log lines (`entered = now()`), in order, one statement.
    public func logEvents(_ entries: [String], page: String = "processqueue") async throws {
        guard !entries.isEmpty else { return }
        let rows = Array(repeating: "(NOW(), ?, ?)", count: entries.count).joined(separator: ", ")
        var params: [any MariaDBEncodable] = []
        for entry in entries { params += [page, entry] }
        try await pool.execute("INSERT INTO \(tables.eventLog) (entered, page, entry) VALUES \(rows)", params)
    }
}

extension PHPListDatabase {
    /// processqueue's requeue: sent campaigns with a requeue interval whose requeue-until lies ahead go back
    /// to 'submitted', embargo moved forward by the interval (minutes).
    public func requeueSentCampaigns() async throws {
        try await pool.execute(
            """
            UPDATE \(tables.message) SET status = 'submitted', sendstart = NULL,
              embargo = embargo + INTERVAL requeueinterval MINUTE
            WHERE requeueinterval > 0 AND requeueuntil > NOW() AND status = 'sent'
            """)
    }
}
