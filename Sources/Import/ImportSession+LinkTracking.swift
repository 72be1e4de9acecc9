import Foundation
import MariaDB

/// Link tracking: forwards (tracked URLs) match by URL hash, as 3.6.15's unique key does, keeping
/// their uuid (the id in links already mailed) unless the target uses it; per-campaign and
/// per-subscriber click rows are united with the larger counts and the wider click period.
extension ImportSession {
    func importLinkTracking() throws {
        guard let sourceForwards = sourceTable(src.linkTrackForward), let targetForwards = targetLayout.table(dst.linkTrackForward) else { return }
        try forEachSourcePage("link forwards", table: sourceForwards) { rows, _, _ in
            for row in rows {
                guard let id = row.int("id"), ledger.lookup("forward", id) == nil, let url = row.string("url") else { continue }
                if let existing = try target.query("SELECT id FROM `\(targetForwards.name)` WHERE urlhash = MD5(?) LIMIT 1", [url]).first {
                    ledger.record("forward", id, try existing.decode("id", as: Int64.self))
                    report.merged("tracked links")
                    continue
                }
                var uuid = row.string("uuid") ?? ""
                let taken = try !uuid.isEmpty && !target.query("SELECT 1 AS x FROM `\(targetForwards.name)` WHERE uuid = ? LIMIT 1", [uuid]).isEmpty
                if uuid.isEmpty || taken { uuid = UUID().uuidString.lowercased() }
                let result = try target.execute(
                    "INSERT INTO `\(targetForwards.name)` (url, urlhash, uuid, personalise) VALUES (?, MD5(?), ?, ?)",
                    [url, url, uuid, row.int("personalise") ?? 0]
                )
                ledger.record("forward", id, Int64(result.lastInsertID))
                report.added("tracked links")
            }
        }
        try importCampaignClicks()
        try importSubscriberClicks()
    }

    private static let clickMerge = "firstclick = LEAST(IFNULL(firstclick, VALUES(firstclick)), IFNULL(VALUES(firstclick), firstclick)), "
        + "latestclick = GREATEST(IFNULL(latestclick, VALUES(latestclick)), IFNULL(VALUES(latestclick), latestclick)), "
        + "clicked = GREATEST(IFNULL(clicked, 0), VALUES(clicked)), htmlclicked = GREATEST(IFNULL(htmlclicked, 0), VALUES(htmlclicked)), "
        + "textclicked = GREATEST(IFNULL(textclicked, 0), VALUES(textclicked))"

    private func importCampaignClicks() throws {
        guard let sourceClicks = sourceTable(src.linkTrackML), let targetClicks = targetLayout.table(dst.linkTrackML) else { return }
        for (sourceMessage, targetMessage) in ledger.map("message").sorted(by: { $0.key < $1.key }) {
            let rows = try source.query("SELECT \(sourceClicks.selectList()) FROM `\(sourceClicks.name)` WHERE messageid = ?", [sourceMessage])
                .map { sourceClicks.decode($0, stats: &report.encoding) }
            try batch("campaign clicks", lastID: sourceMessage, done: 0, total: nil) {
                let out: [[any MariaDBEncodable]] = rows.compactMap { row in
                    guard let forward = row.int("forwardid").flatMap({ ledger.lookup("forward", $0) }) else { return nil }
                    return [targetMessage, forward, row["firstclick"], row["latestclick"], row.int("total") ?? 0,
                            row.int("clicked") ?? 0, row.int("htmlclicked") ?? 0, row.int("textclicked") ?? 0]
                }
                guard !out.isEmpty else { return }
                _ = try target.executeBatch(
                    "INSERT INTO `\(targetClicks.name)` (messageid, forwardid, firstclick, latestclick, total, clicked, htmlclicked, textclicked) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE total = GREATEST(IFNULL(total, 0), VALUES(total)), "
                        + Self.clickMerge,
                    rows: out
                )
                report.added("campaign link clicks", out.count)
            }
        }
    }

    private func importSubscriberClicks() throws {
        guard let sourceClicks = sourceTable(src.prefix + "linktrack_uml_click"),
              let targetClicks = targetLayout.table(dst.prefix + "linktrack_uml_click") else { return }
        try forEachSourcePage("subscriber clicks", table: sourceClicks) { rows, _, _ in
            var out: [[any MariaDBEncodable]] = []
            for row in rows {
                guard let message = row.int("messageid").flatMap({ ledger.lookup("message", $0) }),
                      let user = row.int("userid").flatMap({ ledger.lookup("user", $0) }),
                      let forward = row.int("forwardid").flatMap({ ledger.lookup("forward", $0) }) else {
                    report.skipped("subscriber link clicks", "campaign, subscriber or link not imported")
                    continue
                }
                out.append([message, user, forward, row["firstclick"], row["latestclick"], row.int("clicked") ?? 0,
                            row.int("htmlclicked") ?? 0, row.int("textclicked") ?? 0])
            }
            guard !out.isEmpty else { return }
            _ = try target.executeBatch(
                "INSERT INTO `\(targetClicks.name)` (messageid, userid, forwardid, firstclick, latestclick, clicked, htmlclicked, textclicked) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE " + Self.clickMerge,
                rows: out
            )
            report.added("subscriber link clicks", out.count)
        }
    }
}
