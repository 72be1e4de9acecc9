import MariaDB
import PHPList

/// Every kind of row `facteur import phplist` copies, for `verify`: where it lives and what identifies
/// one row. A key column names the id map (`facteur_import_map`) that translates it into the target's
/// id, or nil when its value is the same on both sides (an address, a date, a name).
struct ImportedKind: Sendable {
    let label: String
    let table: @Sendable (TableNames) -> String
    let key: [(column: String, map: String?)]

    static let all: [ImportedKind] = [
        .init(label: "attributes", table: { $0.attribute }, key: [("id", "attribute")]),
        .init(label: "lists", table: { $0.list }, key: [("id", "list")]),
        .init(label: "templates", table: { $0.template }, key: [("id", "template")]),
        .init(label: "template images", table: { $0.templateImage }, key: [("id", "template image")]),
        .init(label: "attribute values of subscribers", table: { $0.userAttribute }, key: [("attributeid", "attribute"), ("userid", "user")]),
        .init(label: "list memberships", table: { $0.listUser }, key: [("userid", "user"), ("listid", "list")]),
        .init(label: "blacklist", table: { $0.userBlacklist }, key: [("email", nil)]),
        .init(label: "blacklist data", table: { $0.userBlacklistData }, key: [("email", nil), ("name", nil)]),
        .init(label: "campaigns", table: { $0.message }, key: [("id", "message")]),
        .init(label: "campaign data", table: { $0.messageData }, key: [("id", "message"), ("name", nil)]),
        .init(label: "campaign lists", table: { $0.listMessage }, key: [("messageid", "message"), ("listid", "list")]),
        .init(label: "attachments", table: { $0.attachment }, key: [("id", "attachment")]),
        .init(label: "send history", table: { $0.userMessage }, key: [("userid", "user"), ("messageid", "message")]),
        .init(label: "bounces", table: { $0.bounce }, key: [("id", "bounce")]),
        .init(label: "bounce links", table: { $0.userMessageBounce }, key: [("user", "user"), ("message", "message"), ("bounce", "bounce")]),
        .init(label: "subscriber history", table: { $0.userHistory }, key: [("userid", "user"), ("date", nil), ("summary", nil)]),
        .init(label: "tracked links", table: { $0.linkTrackForward }, key: [("id", "forward")]),
        .init(label: "campaign link clicks", table: { $0.linkTrackML }, key: [("messageid", "message"), ("forwardid", "forward")]),
        .init(label: "subscriber link clicks", table: { $0.prefix + "linktrack_uml_click" },
              key: [("messageid", "message"), ("userid", "user"), ("forwardid", "forward")]),
        .init(label: "legacy tracked links", table: { $0.prefix + "linktrack" }, key: [("linkid", "legacy link")]),
        .init(label: "legacy link clicks", table: { $0.prefix + "linktrack_userclick" },
              key: [("linkid", "legacy link"), ("userid", "user"), ("messageid", "message"), ("date", nil)]),
        .init(label: "campaign views", table: { $0.prefix + "user_message_view" }, key: [("id", "view")]),
    ]
}

/// Samples rows of one kind spread evenly over the source and looks each up in the target through
/// the id maps the import recorded: a sampled row the target lacks is a difference.
struct ImportedRowSampler {
    let source: MariaDBConnection
    let target: MariaDBConnection
    let sourceLayout: DatabaseLayout
    let targetLayout: DatabaseLayout
    let maps: [String: [Int64: Int64]]

    /// (rows sampled, differences) for `kind`, or nil when either side lacks its table.
    func check(_ kind: ImportedKind, sampleSize: Int) throws -> (sampled: Int, differences: [String])? {
        guard let from = sourceLayout.table(kind.table(sourceLayout.tables)), let to = targetLayout.table(kind.table(targetLayout.tables)),
              kind.key.allSatisfy({ from.has($0.column) && to.has($0.column) }) else { return nil }
        let total = try source.query("SELECT COUNT(*) AS n FROM `\(from.name)`").first?.decode("n", as: Int.self) ?? 0
        guard total > 0 else { return (0, []) }
        let step = max(1, total / max(1, sampleSize))
        let columns = kind.key.map(\.column)
        let order = columns.map { "`\($0)`" }.joined(separator: ", ")
        let rows = try source.query(
            "SELECT \(from.selectList(columns)) FROM (SELECT \(columns.map { "`\($0)`" }.joined(separator: ", ")), "
                + "ROW_NUMBER() OVER (ORDER BY \(order)) AS rn FROM `\(from.name)`) x WHERE MOD(rn - 1, \(step)) = 0 LIMIT \(sampleSize)"
        ).map { row -> SourceRow in
            var stats = EncodingStats()
            return from.decode(row, stats: &stats)
        }
        var differences: [String] = []
        for row in rows {
            var values: [any MariaDBEncodable] = []
            var described: [String] = []
            var unmapped = false
            for (column, map) in kind.key {
                described.append("\(column) \(row.string(column) ?? "NULL")")
                guard let map else {
                    values.append(row[column])
                    continue
                }
                guard let id = row.int(column) else {
                    values.append(row[column])
                    continue
                }
                // PHPList links bounces of unidentified campaigns to message 0 or -1: kept as they are.
                if let mapped = maps[map]?[id] ?? (map == "message" && id <= 0 ? id : nil) {
                    values.append(mapped)
                } else {
                    unmapped = true
                }
            }
            let name = "\(kind.label) (\(described.joined(separator: ", ")))"
            if unmapped {
                differences.append("\(name): not imported")
                continue
            }
            let condition = kind.key.map { "`\($0.column)` <=> ?" }.joined(separator: " AND ")
            if try target.query("SELECT 1 AS x FROM `\(to.name)` WHERE \(condition) LIMIT 1", values).isEmpty {
                differences.append("\(name): missing in the target")
            }
        }
        return (rows.count, differences)
    }

    /// The id maps the import of this source recorded in the target (empty when it never ran).
    static func maps(in target: MariaDBConnection, sourceKey: String) throws -> [String: [Int64: Int64]] {
        guard try target.query(
            "SELECT 1 AS x FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'facteur_import_map'"
        ).first != nil else { return [:] }
        var maps: [String: [Int64: Int64]] = [:]
        try target.forEachRow("SELECT kind, source_id, target_id FROM facteur_import_map WHERE source_key = ?", [sourceKey]) { row in
            maps[try row.decode("kind", as: String.self), default: [:]][try row.decode("source_id", as: Int64.self)] =
                try row.decode("target_id", as: Int64.self)
        }
        return maps
    }
}
