import MariaDB

/// `user_message_view` (3.x: one row per first open of a campaign, written by lt.php and ut.php),
/// with the target's ids. The same subscriber, campaign and time already in the target is one view.
extension ImportSession {
    func importViews() throws {
        guard let sourceViews = sourceTable(src.prefix + "user_message_view"),
              let targetViews = targetLayout.table(dst.prefix + "user_message_view") else { return }
        try forEachSourcePage("views", table: sourceViews) { rows, _, _ in
            for row in rows {
                guard let id = row.int("id"), ledger.lookup("view", id) == nil else { continue }
                guard let message = row.int("messageid").flatMap({ ledger.lookup("message", $0) }),
                      let user = row.int("userid").flatMap({ ledger.lookup("user", $0) }) else {
                    report.skipped("campaign views", "campaign or subscriber not imported")
                    continue
                }
                if let existing = try target.query(
                    "SELECT id FROM `\(targetViews.name)` WHERE messageid = ? AND userid = ? AND viewed <=> ? LIMIT 1", [message, user, row["viewed"]]
                ).first {
                    ledger.record("view", id, try existing.decode("id", as: Int64.self))
                    report.merged("campaign views")
                    continue
                }
                let result = try target.execute(
                    "INSERT INTO `\(targetViews.name)` (messageid, userid, viewed, ip, data) VALUES (?, ?, ?, ?, ?)",
                    [message, user, row["viewed"], row["ip"], row["data"]]
                )
                ledger.record("view", id, Int64(result.lastInsertID))
                report.added("campaign views")
            }
        }
    }
}
