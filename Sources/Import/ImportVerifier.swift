import Foundation
import MariaDB
import PHPList

/// `facteur import verify`: after an import, compares the source with the target: row counts of every
/// kind the import copies, a sample of subscribers field by field (state, attribute values by attribute
/// name and value name, list names), and a sample of rows of every other kind, looked up in the target
/// through the id maps the import recorded. The target may legitimately hold more (its own rows,
/// merges), so counts are shown side by side; a sampled row missing from the target, or a sampled
/// subscriber that came out differently, is a difference.
public struct ImportVerifier: Sendable {
    public struct Result: Sendable, Equatable {
        public struct Count: Sendable, Equatable {
            public let table: String
            public let source: Int
            public let target: Int
        }
        /// Rows of one kind sampled in the source and looked up in the target.
        public struct RowSample: Sendable, Equatable {
            public let kind: String
            public let sampled: Int
            public let missing: Int
        }
        public var counts: [Count] = []
        /// Subscribers sampled, and what came out differently for them.
        public var sampled = 0
        public var differences: [String] = []
        public var rowSamples: [RowSample] = []
        /// Sampled rows of the other kinds that the target lacks.
        public var rowDifferences: [String] = []

        /// Nothing sampled came out differently.
        public var matches: Bool { differences.isEmpty && rowDifferences.isEmpty }

        public var text: String {
            var lines = ["table counts (source → target):"]
            for count in counts {
                lines.append("  \(count.table): \(count.source) → \(count.target)" + (count.target < count.source ? "  (fewer in the target)" : ""))
            }
            lines.append("\(sampled) subscribers sampled, \(differences.count) differences")
            lines += differences.map { "  " + $0 }
            let rows = rowSamples.reduce(0) { $0 + $1.sampled }
            lines.append("\(rows) rows of \(rowSamples.count) other kinds sampled, \(rowDifferences.count) missing in the target"
                + (rowSamples.isEmpty ? "" : ": " + rowSamples.map { "\($0.kind) \($0.sampled - $0.missing)/\($0.sampled)" }.joined(separator: ", ")))
            lines += rowDifferences.map { "  " + $0 }
            return lines.joined(separator: "\n")
        }
    }

    public let target: MariaDBPool
    public let source: MariaDBConfiguration
    public let sourceTables: TableNames
    public let targetTables: TableNames
    public let sampleSize: Int

    public init(target: MariaDBPool, source: MariaDBConfiguration, sourceTables: TableNames = TableNames(),
                targetTables: TableNames = TableNames(), sampleSize: Int = 200) {
        self.target = target
        self.source = source
        self.sourceTables = sourceTables
        self.targetTables = targetTables
        self.sampleSize = sampleSize
    }

    public func run() async throws -> Result {
        let (source, sourceTables, targetTables, sampleSize) = (self.source, self.sourceTables, self.targetTables, self.sampleSize)
        return try await target.withConnection { target in
            let from = try MariaDBConnection(configuration: source)
            let sourceLayout = try DatabaseLayout.read(from, tables: sourceTables)
            let targetLayout = try DatabaseLayout.read(target, tables: targetTables)
            var result = Result()
            let kinds: [(String, (TableNames) -> String)] = [("subscribers", { $0.user })] + ImportedKind.all.map { ($0.label, $0.table) }
            for (label, table) in kinds {
                guard let s = sourceLayout.table(table(sourceTables)), let t = targetLayout.table(table(targetTables)) else { continue }
                result.counts.append(.init(table: label, source: try Self.count(from, s.name), target: try Self.count(target, t.name)))
            }
            let sourceKey = PHPListImportOptions(source: source, sourceTables: sourceTables, targetTables: targetTables).sourceKey
            let rows = ImportedRowSampler(source: from, target: target, sourceLayout: sourceLayout, targetLayout: targetLayout,
                                          maps: try ImportedRowSampler.maps(in: target, sourceKey: sourceKey))
            for kind in ImportedKind.all {
                guard let checked = try rows.check(kind, sampleSize: sampleSize), checked.sampled > 0 else { continue }
                result.rowSamples.append(.init(kind: kind.label, sampled: checked.sampled, missing: checked.differences.count))
                result.rowDifferences += checked.differences
            }
            let sampler = SubscriberSnapshot.Reader(connection: from, layout: sourceLayout)
            let checker = SubscriberSnapshot.Reader(connection: target, layout: targetLayout)
            let total = try Self.count(from, sourceTables.user)
            let step = max(1, total / max(1, sampleSize))
            let emails = try from.query("SELECT email FROM `\(sourceTables.user)` ORDER BY id").enumerated()
                .filter { $0.offset % step == 0 }.prefix(sampleSize).map { try $0.element.decode("email", as: String.self) }
            for email in emails {
                result.sampled += 1
                guard let wanted = try sampler.snapshot(email: email) else { continue }
                guard let found = try checker.snapshot(email: email) else {
                    result.differences.append("\(email): missing in the target")
                    continue
                }
                result.differences += wanted.differences(from: found).map { "\(email): \($0)" }
            }
            return result
        }
    }

    private static func count(_ connection: MariaDBConnection, _ table: String) throws -> Int {
        try connection.query("SELECT COUNT(*) AS n FROM `\(table)`").first?.decode("n", as: Int.self) ?? 0
    }
}

/// One subscriber as PHPList shows it: state, attribute values by name (select values by their
/// names), list names. Ids are not compared: they differ between databases by design.
struct SubscriberSnapshot: Equatable {
    var confirmed: Int
    var blacklisted: Int
    var attributes: [String: String]
    var lists: Set<String>

    /// What in `target` is not what the source had. Merging rules make the target stricter (so an
    /// unconfirmed or blacklisted target is fine), keep target values (a differing non-blank value is
    /// reported as "kept"), and add lists (only lists lost are differences).
    func differences(from target: SubscriberSnapshot) -> [String] {
        var result: [String] = []
        if target.confirmed > confirmed { result.append("confirmed \(confirmed) in the source, \(target.confirmed) in the target") }
        if target.blacklisted < blacklisted { result.append("blacklisted in the source, not in the target") }
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            let other = target.attributes[name] ?? ""
            if other != value { result.append("\(name) \"\(value)\" in the source, \"\(other)\" in the target") }
        }
        let lost = lists.subtracting(target.lists)
        if !lost.isEmpty { result.append("not on \(lost.sorted().joined(separator: ", ")) in the target") }
        return result
    }

    struct Reader {
        let connection: MariaDBConnection
        let layout: DatabaseLayout

        func snapshot(email: String) throws -> SubscriberSnapshot? {
            let tables = layout.tables
            guard let users = layout.table(tables.user) else { return nil }
            guard let user = try connection.query("SELECT id, confirmed, blacklisted FROM `\(users.name)` WHERE email = ?", [email]).first else {
                return nil
            }
            let id = try user.decode("id", as: Int64.self)
            var snapshot = SubscriberSnapshot(confirmed: try user.decode("confirmed", as: Int?.self) ?? 0,
                                              blacklisted: try user.decode("blacklisted", as: Int?.self) ?? 0, attributes: [:], lists: [])
            if let values = layout.table(tables.userAttribute), let attributes = layout.table(tables.attribute) {
                let rows = try connection.query(
                    "SELECT \(attributes.column("name", alias: "a")), \(attributes.column("type", alias: "a")), "
                        + "\(attributes.column("tablename", alias: "a")), \(values.column("value", alias: "v")) "
                        + "FROM `\(values.name)` v JOIN `\(attributes.name)` a ON a.id = v.attributeid WHERE v.userid = ?", [id]
                )
                for row in rows {
                    var value = TableLayout.text(row["value"]) ?? ""
                    let type = TableLayout.text(row["type"]) ?? ""
                    if ImportSession.valueTableTypes.contains(type), let table = TableLayout.text(row["tablename"]),
                       let valueTable = layout.table(tables.attributeValues(table)), !value.isEmpty {
                        var names: [String] = []
                        for part in value.split(separator: ",") {
                            if let named = try connection.query(
                                "SELECT \(valueTable.column("name", alias: "t")) FROM `\(valueTable.name)` t WHERE id = ?", [String(part)]
                            ).first {
                                names.append(TableLayout.text(named["name"]) ?? "")
                            }
                        }
                        value = names.joined(separator: ",")
                    }
                    snapshot.attributes[TableLayout.text(row["name"]) ?? ""] = value
                }
            }
            if let members = layout.table(tables.listUser), let lists = layout.table(tables.list) {
                for row in try connection.query(
                    "SELECT \(lists.column("name", alias: "l")) FROM `\(members.name)` m JOIN `\(lists.name)` l ON l.id = m.listid WHERE m.userid = ?", [id]
                ) {
                    snapshot.lists.insert(TableLayout.text(row["name"]) ?? "")
                }
            }
            return snapshot
        }
    }
}
