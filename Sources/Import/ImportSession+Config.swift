import MariaDB

/// PHPList's configuration and admin accounts stay the target's: the report lists the source's
/// values that differ so an operator can carry over what matters by hand.
extension ImportSession {
    /// Items that always differ between installations or are PHPList's own bookkeeping.
    static let configNoise: Set<String> = ["version", "updatelastcheck", "lastcheckupdate", "xormask", "internet_tlds",
                                           "secret", "hmackey", "remote_processing_secret", "lastVerifyAll"]

    func compareConfig() throws {
        guard let sourceConfig = sourceTable(src.config), let targetConfig = targetLayout.table(dst.config) else { return }
        var targetValues: [String: String] = [:]
        for row in try target.query("SELECT item, value FROM `\(targetConfig.name)`") {
            targetValues[try row.decode("item", as: String.self)] = try row.decode("value", as: String?.self) ?? ""
        }
        let rows = try source.query("SELECT \(sourceConfig.selectList(["item", "value"])) FROM `\(sourceConfig.name)` ORDER BY item")
            .map { sourceConfig.decode($0, stats: &report.encoding) }
        for row in rows {
            guard let item = row.string("item"), !Self.configNoise.contains(item) else { continue }
            let value = row.string("value") ?? ""
            if targetValues[item] != value {
                report.configDifferences.append(.init(item: item, source: value, target: targetValues[item]))
            }
        }
        report.skipped("config values", "configuration is not imported", rows.count)
        if let admins = sourceTable(src.prefix + "admin") {
            let count = try source.query("SELECT COUNT(*) AS n FROM `\(admins.name)`").first?.decode("n", as: Int.self) ?? 0
            report.skipped("admins", "admin accounts are not imported", count)
        }
    }

    func noteWhatIsNotImported() throws {
        for (table, what) in [("eventlog", "the event log"), ("bounceregex", "bounce rules"),
                              ("user_message_forward", "forward-to-a-friend records"), ("userstats", "cached statistics"),
                              ("subscribepage", "subscribe pages"), ("urlcache", "the URL cache")] {
            guard let layout = sourceTable(src.prefix + table) else { continue }
            let count = try source.query("SELECT COUNT(*) AS n FROM `\(layout.name)`").first?.decode("n", as: Int.self) ?? 0
            if count > 0 { report.notes.appendOnce("\(what) (\(layout.name), \(count) rows) not imported") }
        }
    }
}
