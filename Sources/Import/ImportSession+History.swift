import MariaDB

/// The send history (`usermessage`, one row per subscriber and campaign: a row the target already has
/// wins) and the subscribers' own history, both with ids translated.
extension ImportSession {
    /// 2.x wrote `invalid email`; 3.6.15 writes `invalid email address` (its statistics page counts that).
    static func mappedSendStatus(_ status: String?) -> String? {
        switch status {
        case "invalid email": return "invalid email address"
        default: return status
        }
    }

    func importSendHistory() throws {
        guard let sourceSends = sourceTable(src.userMessage) else { return }
        let targetSends = try targetTable(dst.userMessage)
        let users = ledger.map("user").keys.sorted()
        var position = try ledger.position("send history").lastSourceID
        let total = try source.query("SELECT COUNT(*) AS n FROM `\(sourceSends.name)`").first?.decode("n", as: Int.self) ?? 0
        var done = 0
        // Pages of source subscribers (the table's key is userid+messageid): the resume point is the last subscriber.
        var start = users.partitioningIndex { $0 > position }
        while start < users.count {
            let page = Array(users[start..<min(start + batchSize, users.count)])
            start += page.count
            let rows = try source.query(
                "SELECT \(sourceSends.selectList()) FROM `\(sourceSends.name)` WHERE userid IN (\(Self.placeholders(page.count)))", page
            ).map { sourceSends.decode($0, stats: &report.encoding) }
            done += rows.count
            position = page.last!
            try batch("send history", lastID: position, done: done, total: total) {
                var out: [SourceRow] = []
                for var row in rows {
                    guard let message = row.int("messageid").flatMap({ ledger.lookup("message", $0) }) else {
                        report.skipped("send history", "campaign not in the source's campaign table")
                        continue
                    }
                    row["messageid"] = .int(message)
                    row["userid"] = .int(ledger.lookup("user", row.int("userid")!)!)
                    row["status"] = Self.mappedSendStatus(row.string("status")).map(MariaDBValue.string) ?? .null
                    out.append(row)
                }
                let added = Int(try insert(into: targetSends, columns: sharedColumns(sourceSends, targetSends, excluding: []),
                                           rows: out, verb: "INSERT IGNORE"))
                report.added("send history", added)
                report.merged("send history", out.count - added)
            }
        }
    }

    func importSubscriberHistory() throws {
        guard let sourceHistory = sourceTable(src.userHistory) else { return }
        let targetHistory = try targetTable(dst.userHistory)
        let columns = sharedColumns(sourceHistory, targetHistory)
        try forEachSourcePage("subscriber history", table: sourceHistory) { rows, _, _ in
            var out: [SourceRow] = []
            let users = Array(Set(rows.compactMap { $0.int("userid").flatMap { ledger.lookup("user", $0) } }))
            var present = Set<String>()
            if !users.isEmpty {
                // A merged subscriber may already have the same entries (both databases share a past).
                for row in try target.query(
                    "SELECT CONCAT_WS('|', userid, date, summary) AS k FROM `\(targetHistory.name)` WHERE userid IN (\(Self.placeholders(users.count)))",
                    users
                ) { present.insert(try row.decode("k", as: String?.self) ?? "") }
            }
            for var row in rows {
                guard let user = row.int("userid").flatMap({ ledger.lookup("user", $0) }) else {
                    report.skipped("subscriber history", "subscriber not imported")
                    continue
                }
                row["userid"] = .int(user)
                let date: String? = if case .datetime(let value) = row["date"] { value.sql } else { nil }
                let key = ([String(user)] + [date, row.string("summary")].compactMap { $0 }).joined(separator: "|")
                if !present.insert(key).inserted {
                    report.merged("subscriber history")
                    continue
                }
                out.append(row)
            }
            try insert(into: targetHistory, columns: columns, rows: out)
            report.added("subscriber history", out.count)
        }
    }
}

extension Array where Element: Comparable {
    /// First index whose element satisfies `belongs` (the array is sorted so that it holds for a suffix).
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
