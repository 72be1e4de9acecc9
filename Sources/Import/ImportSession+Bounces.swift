import Foundation
import MariaDB

/// Bounces and their links to subscribers and campaigns. A bounce the target already holds (same
/// date and headers, e.g. both databases processed the same mailbox) is counted once. The ids PHPList
/// writes into a bounce's status ("bounced list message N") and comment ("N bouncecount increased")
/// are translated too, since its bounce pages read them.
extension ImportSession {
    func importBounces() throws {
        guard let sourceBounces = sourceTable(src.bounce) else { return }
        let targetBounces = try targetTable(dst.bounce)
        let sourceLinks = sourceTable(src.userMessageBounce)
        let targetLinks = try targetTable(dst.userMessageBounce)
        let columns = sharedColumns(sourceBounces, targetBounces)
        try forEachSourcePage("bounces", table: sourceBounces) { rows, _, _ in
            for var row in rows {
                guard let id = row.int("id"), ledger.lookup("bounce", id) == nil else { continue }
                if let existing = try target.query(
                    "SELECT id FROM `\(targetBounces.name)` WHERE date <=> ? AND header <=> ? LIMIT 1", [row["date"], row["header"]]
                ).first {
                    ledger.record("bounce", id, try existing.decode("id", as: Int64.self))
                    report.merged("bounces")
                    continue
                }
                row["status"] = row.string("status").map { .string(translated(status: $0)) } ?? .null
                row["comment"] = row.string("comment").map { .string(translated(comment: $0)) } ?? .null
                try insert(into: targetBounces, columns: columns, rows: [row])
                ledger.record("bounce", id, try lastInsertID())
                report.added("bounces")
            }
            guard let sourceLinks else { return }
            let ids = rows.compactMap { $0.int("id") }
            for link in try source.query(
                "SELECT `user`, message, bounce, `time` FROM `\(sourceLinks.name)` WHERE bounce IN (\(Self.placeholders(ids.count)))", ids
            ) {
                let bounce = try ledger.lookup("bounce", link.decode("bounce", as: Int64.self))!
                guard let user = try ledger.lookup("user", link.decode("user", as: Int64.self)) else {
                    report.skipped("bounce links", "subscriber not imported")
                    continue
                }
                // PHPList links unidentified campaigns as message -1/0; keep those as they are.
                let sourceMessage = try link.decode("message", as: Int64.self)
                let message = ledger.lookup("message", sourceMessage) ?? sourceMessage
                if try target.query(
                    "SELECT 1 AS x FROM `\(targetLinks.name)` WHERE `user` = ? AND message = ? AND bounce = ? LIMIT 1", [user, message, bounce]
                ).isEmpty {
                    try target.execute("INSERT INTO `\(targetLinks.name)` (`user`, message, bounce, `time`) VALUES (?, ?, ?, ?)",
                                       [user, message, bounce, link["time"]])
                    report.added("bounce links")
                } else {
                    report.merged("bounce links")
                }
            }
        }
    }

    private func translated(status: String) -> String {
        let prefix = "bounced list message "
        guard status.hasPrefix(prefix), let id = Int64(status.dropFirst(prefix.count)),
              let mapped = ledger.lookup("message", id) else { return status }
        return prefix + String(mapped)
    }

    private func translated(comment: String) -> String {
        let digits = comment.prefix { $0.isNumber }
        guard !digits.isEmpty, let id = Int64(digits), let mapped = ledger.lookup("user", id) else { return comment }
        return String(mapped) + comment.dropFirst(digits.count)
    }

    /// A campaign's bounce count is the number of its bounce links once both sides are united.
    func recomputeCampaignBounceCounts() throws {
        let messages = Array(Set(ledger.map("message").values)).sorted()
        guard !messages.isEmpty else { return }
        let targetMessages = try targetTable(dst.message)
        let links = try targetTable(dst.userMessageBounce)
        for chunk in stride(from: 0, to: messages.count, by: batchSize).map({ Array(messages[$0..<min($0 + batchSize, messages.count)]) }) {
            try target.execute(
                "UPDATE `\(targetMessages.name)` m SET bouncecount = (SELECT COUNT(*) FROM `\(links.name)` b WHERE b.message = m.id) "
                    + "WHERE m.id IN (\(Self.placeholders(chunk.count)))", chunk
            )
        }
    }
}

extension ImportSession {
    /// A subscriber's bounce count once both sides are united: the larger of the two counts (merge),
    /// raised to the number of bounce links the target now holds for them. A bounce both databases
    /// hold is one link (importBounces), so it is counted once; bounces only one side had add up.
    /// Only subscribers with bounce links in the source are touched.
    func recomputeSubscriberBounceCounts() throws {
        guard let sourceLinks = sourceTable(src.userMessageBounce) else { return }
        let targetUsers = try targetTable(dst.user)
        let links = try targetTable(dst.userMessageBounce)
        var users = Set<Int64>()
        try source.forEachRow("SELECT DISTINCT `user` AS u FROM `\(sourceLinks.name)`") { row in
            if let id = self.ledger.lookup("user", try row.decode("u", as: Int64.self)) { users.insert(id) }
        }
        let sorted = users.sorted()
        for start in stride(from: 0, to: sorted.count, by: batchSize) {
            let chunk = Array(sorted[start..<min(start + batchSize, sorted.count)])
            try target.execute(
                "UPDATE `\(targetUsers.name)` u JOIN (SELECT `user`, COUNT(*) AS n FROM `\(links.name)` "
                    + "WHERE `user` IN (\(Self.placeholders(chunk.count))) GROUP BY `user`) c ON c.`user` = u.id "
                    + "SET u.bouncecount = GREATEST(IFNULL(u.bouncecount, 0), c.n)", chunk
            )
        }
    }
}
