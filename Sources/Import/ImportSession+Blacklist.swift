import MariaDB

/// The blacklist is keyed by address, including addresses without a subscriber row (complaints):
/// an address already blacklisted in the target stays as it is.
extension ImportSession {
    func importBlacklist() throws {
        guard let sourceList = sourceTable(src.userBlacklist) else { return }
        let targetList = try targetTable(dst.userBlacklist)
        let sourceData = sourceTable(src.userBlacklistData)
        let targetData = try targetTable(dst.userBlacklistData)
        var offset = try ledger.position("blacklist").lastSourceID
        let total = try source.query("SELECT COUNT(*) AS n FROM `\(sourceList.name)`").first?.decode("n", as: Int.self) ?? 0
        while true {
            // Ordered by address: an offset into it is the resume point (no id column to key on).
            let rows = try source.query(
                "SELECT \(sourceList.selectList()) FROM `\(sourceList.name)` ORDER BY email LIMIT \(batchSize) OFFSET \(offset)"
            ).map { sourceList.decode($0, stats: &report.encoding) }
            guard !rows.isEmpty else { break }
            offset += Int64(rows.count)
            try batch("blacklist", lastID: offset, done: Int(offset), total: total) {
                let added = try insert(into: targetList, columns: sharedColumns(sourceList, targetList, excluding: []),
                                       rows: rows, verb: "INSERT IGNORE")
                report.added("blacklist", Int(added))
                report.merged("blacklist", rows.count - Int(added))
                guard let sourceData else { return }
                let emails = rows.compactMap { $0.string("email") }
                var data = try source.query(
                    "SELECT \(sourceData.selectList()) FROM `\(sourceData.name)` WHERE email IN (\(Self.placeholders(emails.count)))", emails
                ).map { sourceData.decode($0, stats: &report.encoding) }
                for index in data.indices {
                    // 3.6.15 shrank `name` to 25 characters.
                    if let name = data[index].string("name"), name.count > 25 { data[index]["name"] = .string(String(name.prefix(25))) }
                }
                try insert(into: targetData, columns: sharedColumns(sourceData, targetData, excluding: []), rows: data, verb: "INSERT IGNORE")
            }
        }
    }
}
