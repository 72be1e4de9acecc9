import MariaDB

/// PHPList 2.x tracked links one row per campaign, subscriber and URL in `linktrack` (and each click in
/// `linktrack_userclick`). PHPList 3 keeps both tables: its upgrade never converts them into the
/// forward/ml/uml_click statistics, and its lt.php falls back to `linktrack` (by linkid, userid and
/// messageid) so links in old mail still redirect. The import does the same: rows are copied into the
/// target's `linktrack` with the target's campaign and subscriber ids, keeping `linkid` unless taken;
/// a row the target already has (same campaign, subscriber and URL) keeps the larger click count.
extension ImportSession {
    func importLegacyLinks() throws {
        guard let sourceLinks = sourceTable(src.prefix + "linktrack"), let targetLinks = targetLayout.table(dst.prefix + "linktrack") else { return }
        var renumbered = false
        try forEachSourcePage("legacy links", table: sourceLinks, keyColumn: "linkid") { rows, _, _ in
            // Rows whose linkid is free go in first with it, the others after them with a new one (an
            // AUTO_INCREMENT id handed out first could take a linkid a later row of the page keeps).
            var renumber: [(SourceRow, Int64, Int64)] = []
            for row in rows {
                guard let linkID = row.int("linkid"), ledger.lookup("legacy link", linkID) == nil else { continue }
                guard let sourceMessage = row.int("messageid"), let message = ledger.lookup("message", sourceMessage),
                      let sourceUser = row.int("userid"), let user = ledger.lookup("user", sourceUser) else {
                    report.skipped("legacy tracked links", "campaign or subscriber not imported")
                    continue
                }
                if message != sourceMessage || user != sourceUser { renumbered = true }
                if let existing = try target.query(
                    "SELECT linkid FROM `\(targetLinks.name)` WHERE messageid = ? AND userid = ? AND url <=> ? LIMIT 1",
                    [message, user, row.string("url")]
                ).first {
                    let targetID = try existing.decode("linkid", as: Int64.self)
                    try target.execute(
                        "UPDATE `\(targetLinks.name)` SET clicked = GREATEST(IFNULL(clicked, 0), ?), "
                            + "firstclick = LEAST(IFNULL(firstclick, ?), IFNULL(?, firstclick)), "
                            + "latestclick = GREATEST(IFNULL(latestclick, ?), IFNULL(?, latestclick)) WHERE linkid = ?",
                        [row.int("clicked") ?? 0, row["firstclick"], row["firstclick"], row["latestclick"], row["latestclick"], targetID]
                    )
                    ledger.record("legacy link", linkID, targetID)
                    report.merged("legacy tracked links")
                } else if try target.query("SELECT 1 AS x FROM `\(targetLinks.name)` WHERE linkid = ? LIMIT 1", [linkID]).isEmpty {
                    try insertLegacyLink(row, linkID: linkID, keep: true, message: message, user: user, into: targetLinks)
                } else {
                    renumber.append((row, message, user))
                }
            }
            for (row, message, user) in renumber {
                renumbered = true
                try insertLegacyLink(row, linkID: row.int("linkid")!, keep: false, message: message, user: user, into: targetLinks)
            }
        }
        if renumbered {
            report.notes.appendOnce("some 2.x tracked links (\(targetLinks.name)) changed campaign, subscriber or link id: "
                + "those links in mail sent before the import no longer redirect")
        }
        try importLegacyClicks()
    }

    private func insertLegacyLink(_ row: SourceRow, linkID: Int64, keep: Bool, message: Int64, user: Int64, into table: TableLayout) throws {
        // 3.6.15 shrank `forward` from text to varchar(255).
        let forward = row.string("forward").map { String($0.prefix(255)) }
        let values: [any MariaDBEncodable] = [message, user, row.string("url"), forward, row["firstclick"], row["latestclick"], row.int("clicked") ?? 0]
        let result = try target.execute(
            "INSERT INTO `\(table.name)` (\(keep ? "linkid, " : "")messageid, userid, url, forward, firstclick, latestclick, clicked) "
                + "VALUES (\(Self.placeholders(values.count + (keep ? 1 : 0))))",
            (keep ? [linkID] : []) + values
        )
        ledger.record("legacy link", linkID, keep ? linkID : Int64(result.lastInsertID))
        report.added("legacy tracked links")
    }

    /// Per-click rows (`linktrack_userclick`: no key of its own). Its linkid is a `linktrack` linkid in
    /// 2.x; rows whose link, campaign or subscriber was not imported are skipped. A row the target
    /// already has (same link, subscriber, campaign, date and name) is not added twice.
    private func importLegacyClicks() throws {
        guard let sourceClicks = sourceTable(src.prefix + "linktrack_userclick"),
              let targetClicks = targetLayout.table(dst.prefix + "linktrack_userclick") else { return }
        var offset = try ledger.position("legacy clicks").lastSourceID
        let total = try source.query("SELECT COUNT(*) AS n FROM `\(sourceClicks.name)`").first?.decode("n", as: Int.self) ?? 0
        while true {
            // Ordered on every column: an offset into it is the resume point (the table has no key).
            let rows = try source.query(
                "SELECT \(sourceClicks.selectList()) FROM `\(sourceClicks.name)` ORDER BY linkid, userid, messageid, `date`, name, data "
                    + "LIMIT \(batchSize) OFFSET \(offset)"
            ).map { sourceClicks.decode($0, stats: &report.encoding) }
            guard !rows.isEmpty else { break }
            offset += Int64(rows.count)
            try batch("legacy clicks", lastID: offset, done: Int(offset), total: total) {
                for row in rows {
                    guard let link = row.int("linkid").flatMap({ ledger.lookup("legacy link", $0) }),
                          let user = row.int("userid").flatMap({ ledger.lookup("user", $0) }),
                          let message = row.int("messageid").flatMap({ ledger.lookup("message", $0) }) else {
                        report.skipped("legacy link clicks", "link, campaign or subscriber not imported")
                        continue
                    }
                    let values: [any MariaDBEncodable] = [link, user, message, row["date"], row["name"]]
                    if try !target.query(
                        "SELECT 1 AS x FROM `\(targetClicks.name)` WHERE linkid = ? AND userid = ? AND messageid = ? AND `date` <=> ? AND name <=> ? LIMIT 1",
                        values
                    ).isEmpty {
                        report.merged("legacy link clicks")
                        continue
                    }
                    try target.execute(
                        "INSERT INTO `\(targetClicks.name)` (linkid, userid, messageid, `date`, name, data) VALUES (?, ?, ?, ?, ?, ?)",
                        values + [row["data"]]
                    )
                    report.added("legacy link clicks")
                }
            }
        }
    }
}
