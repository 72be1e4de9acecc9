import Foundation
import MariaDB
import PHPList

/// Campaigns: the same uuid in both databases is one campaign, whose counters become the larger of
/// the two (the bounce count is recomputed from the united bounce links at the end). Others are added
/// with their content, lists, attachments and messagedata; a 2.x campaign gets a uuid.
extension ImportSession {
    static let campaignCounters = ["processed", "astext", "ashtml", "astextandhtml", "aspdf", "astextandpdf", "viewed"]

    func importCampaigns() throws {
        guard let sourceMessages = sourceTable(src.message) else { return }
        let targetMessages = try targetTable(dst.message)
        let columns = sharedColumns(sourceMessages, targetMessages).filter { $0 != "uuid" } + ["uuid"]
        try forEachSourcePage("campaigns", table: sourceMessages) { rows, _, _ in
            for var row in rows {
                guard let id = row.int("id"), ledger.lookup("message", id) == nil else { continue }
                let uuid = row.string("uuid") ?? ""
                if !uuid.isEmpty, let match = try target.query(
                    "SELECT id FROM `\(targetMessages.name)` WHERE uuid = ? LIMIT 1", [uuid]
                ).first {
                    let targetID = try match.decode("id", as: Int64.self)
                    let counters = Self.campaignCounters.filter(targetMessages.has)
                    try target.execute(
                        "UPDATE `\(targetMessages.name)` SET "
                            + counters.map { "`\($0)` = GREATEST(IFNULL(`\($0)`, 0), ?)" }.joined(separator: ", ") + " WHERE id = ?",
                        counters.map { row.int($0) ?? 0 } + [targetID]
                    )
                    ledger.record("message", id, targetID)
                    report.merged("campaigns")
                    try copyMessageData(sourceID: id, targetID: targetID)
                    try copyListLinks(sourceID: id, targetID: targetID)
                    try copyAttachments(sourceID: id, targetID: targetID)
                    continue
                }
                if uuid.isEmpty { row["uuid"] = .string(UUID().uuidString.lowercased()) }
                if let template = row.int("template"), template > 0 {
                    row["template"] = ledger.lookup("template", template).map { .int($0) } ?? .int(0)
                }
                try insert(into: targetMessages, columns: columns, rows: [row])
                let targetID = try lastInsertID()
                ledger.record("message", id, targetID)
                report.added("campaigns")
                try copyMessageData(sourceID: id, targetID: targetID)
                try copyListLinks(sourceID: id, targetID: targetID)
                try copyAttachments(sourceID: id, targetID: targetID)
            }
        }
    }

    /// messagedata rows the target lacks; `targetlist` names list ids, which are translated.
    private func copyMessageData(sourceID: Int64, targetID: Int64) throws {
        guard let sourceData = sourceTable(src.messageData) else { return }
        let targetData = try targetTable(dst.messageData)
        var rows = try source.query("SELECT \(sourceData.selectList()) FROM `\(sourceData.name)` WHERE id = ?", [sourceID])
            .map { sourceData.decode($0, stats: &report.encoding) }
        for index in rows.indices {
            rows[index]["id"] = .int(targetID)
            if rows[index].string("name") == "targetlist", let data = rows[index].string("data") {
                rows[index]["data"] = .string(TargetListRewrite.rewrite(data) { self.ledger.lookup("list", $0) })
            }
        }
        try insert(into: targetData, columns: ["name", "id", "data"], rows: rows, verb: "INSERT IGNORE")
    }

    private func copyListLinks(sourceID: Int64, targetID: Int64) throws {
        guard let sourceLinks = sourceTable(src.listMessage) else { return }
        let targetLinks = try targetTable(dst.listMessage)
        var rows: [SourceRow] = []
        for var row in try source.query("SELECT \(sourceLinks.selectList()) FROM `\(sourceLinks.name)` WHERE messageid = ?", [sourceID])
            .map({ sourceLinks.decode($0, stats: &report.encoding) }) {
            guard let list = row.int("listid").flatMap({ ledger.lookup("list", $0) }) else { continue }
            row["messageid"] = .int(targetID)
            row["listid"] = .int(list)
            rows.append(row)
        }
        try insert(into: targetLinks, columns: sharedColumns(sourceLinks, targetLinks), rows: rows, verb: "INSERT IGNORE")
    }

    /// Attachment rows (the files themselves live in PHPList's attachment_repository folder). A campaign
    /// merged by uuid already has the attachments both databases share (same file name, stored file and
    /// size): those are mapped, not added again.
    private func copyAttachments(sourceID: Int64, targetID: Int64) throws {
        guard let sourceLinks = sourceTable(src.messageAttachment), let sourceFiles = sourceTable(src.attachment) else { return }
        let targetLinks = try targetTable(dst.messageAttachment)
        let targetFiles = try targetTable(dst.attachment)
        for link in try source.query("SELECT attachmentid FROM `\(sourceLinks.name)` WHERE messageid = ?", [sourceID]) {
            let attachment = try link.decode("attachmentid", as: Int64.self)
            if let known = ledger.lookup("attachment", attachment) {
                // An attachment of several campaigns: one file row, one link per campaign.
                if try target.query("SELECT 1 AS x FROM `\(targetLinks.name)` WHERE messageid = ? AND attachmentid = ? LIMIT 1",
                                    [targetID, known]).isEmpty {
                    try target.execute("INSERT INTO `\(targetLinks.name)` (messageid, attachmentid) VALUES (?, ?)", [targetID, known])
                }
                continue
            }
            guard let file = try source.query("SELECT \(sourceFiles.selectList()) FROM `\(sourceFiles.name)` WHERE id = ?", [attachment])
                .first.map({ sourceFiles.decode($0, stats: &report.encoding) }) else { continue }
            if let shared = try target.query(
                "SELECT a.id FROM `\(targetFiles.name)` a JOIN `\(targetLinks.name)` l ON l.attachmentid = a.id "
                    + "WHERE l.messageid = ? AND a.filename <=> ? AND a.remotefile <=> ? AND a.size <=> ? LIMIT 1",
                [targetID, file["filename"], file["remotefile"], file["size"]]
            ).first {
                ledger.record("attachment", attachment, try shared.decode("id", as: Int64.self))
                report.merged("attachments")
                continue
            }
            try insert(into: targetFiles, columns: sharedColumns(sourceFiles, targetFiles), rows: [file])
            let added = try lastInsertID()
            ledger.record("attachment", attachment, added)
            report.added("attachments")
            try target.execute("INSERT INTO `\(targetLinks.name)` (messageid, attachmentid) VALUES (?, ?)", [targetID, added])
        }
    }
}

/// `targetlist` is `SER:` + a PHP-serialized array whose integer keys and numeric string values are
/// list ids (plus an "unselect" key): the ids are translated, everything else is kept.
enum TargetListRewrite {
    static func rewrite(_ data: String, _ map: (Int64) -> Int64?) -> String {
        guard data.hasPrefix("SER:") else { return data }
        let pattern = try! NSRegularExpression(pattern: #"i:(\d+);s:\d+:"(\d+)";"#)
        let text = data as NSString
        var result = ""
        var position = 0
        var count = 0
        var entries: [String] = []
        for match in pattern.matches(in: data, range: NSRange(location: 0, length: text.length)) {
            result += text.substring(with: NSRange(location: position, length: match.range.location - position))
            position = match.range.location + match.range.length
            guard let id = Int64(text.substring(with: match.range(at: 1))), let mapped = map(id) else {
                count += 1
                continue
            }
            let value = String(mapped)
            entries.append("i:\(mapped);s:\(value.utf8.count):\"\(value)\";")
            result += entries.last!
        }
        result += text.substring(from: position)
        guard count > 0 else { return result }
        // Entries were dropped: fix the element count `a:N:`.
        return result.replacingOccurrences(of: #"^SER:a:(\d+):"#, with: "SER:a:\(Self.elements(in: result)):", options: .regularExpression)
    }

    private static func elements(in serialized: String) -> Int {
        let inner = serialized.drop { $0 != "{" }
        return inner.components(separatedBy: ";").count / 2
    }
}
