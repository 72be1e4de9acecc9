import MariaDB

/// Attribute definitions match by name (case-insensitively); a missing one is created with its value
/// table. Values of select/radio/checkbox-group attributes match by name too, since their ids differ
/// between installations (2.11 fixture: France is 1 there, Germany is 1 in the 3.6.15 sample).
extension ImportSession {
    static let valueTableTypes: Set<String> = ["select", "radio", "checkboxgroup"]

    func importAttributes() throws {
        guard let sourceAttributes = sourceTable(src.attribute) else { return }
        let targetAttributes = try targetTable(dst.attribute)
        let rows = try source.query("SELECT \(sourceAttributes.selectList()) FROM `\(sourceAttributes.name)` ORDER BY id")
            .map { sourceAttributes.decode($0, stats: &report.encoding) }
        for row in rows {
            guard let sourceID = row.int("id"), let name = row.string("name") else { continue }
            let type = row.string("type") ?? ""
            var valueTable: TableLayout?
            if Self.valueTableTypes.contains(type) {
                valueTable = try ensureValueTable(for: row)
            }
            try batch("attributes", lastID: sourceID, done: 0, total: nil) {
                if let existing = try target.query(
                    "SELECT id FROM `\(targetAttributes.name)` WHERE LOWER(name) = LOWER(?) ORDER BY id LIMIT 1", [name]
                ).first {
                    let targetID = try existing.decode("id", as: Int64.self)
                    if ledger.lookup("attribute", sourceID) == nil { report.merged("attributes") }
                    ledger.record("attribute", sourceID, targetID)
                } else {
                    var copy = row
                    copy["tablename"] = valueTable.map { .string(String($0.name.dropFirst(dst.prefix.count + "listattr_".count))) } ?? row["tablename"]
                    try insert(into: targetAttributes, columns: sharedColumns(sourceAttributes, targetAttributes), rows: [copy])
                    let targetID = try target.query("SELECT LAST_INSERT_ID() AS id").first!.decode("id", as: Int64.self)
                    ledger.record("attribute", sourceID, targetID)
                    report.added("attributes")
                }
                if let valueTable { try importAttributeValues(sourceAttribute: row, sourceID: sourceID, into: valueTable) }
            }
        }
    }

    /// The target's value table for this attribute: the one its same-named attribute uses, or a new one.
    /// Created before the batch's transaction (DDL commits implicitly); a dry run creates it TEMPORARY.
    private func ensureValueTable(for sourceAttribute: SourceRow) throws -> TableLayout {
        let name = sourceAttribute.string("name") ?? ""
        let targetAttributes = try targetTable(dst.attribute)
        var tablename = sourceAttribute.string("tablename") ?? name.lowercased()
        if let existing = try target.query(
            "SELECT tablename FROM `\(targetAttributes.name)` WHERE LOWER(name) = LOWER(?) ORDER BY id LIMIT 1", [name]
        ).first, let own = try existing.decode("tablename", as: String?.self), !own.isEmpty {
            tablename = own
        }
        tablename = String(tablename.lowercased().map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        let full = dst.attributeValues(tablename)
        if let layout = targetLayout.table(full) ?? (try? DatabaseLayout.read(target, tables: dst).table(full)) { return layout }
        // PHPList's own definition of a value table (admin/attributes.php).
        try target.execute(
            "CREATE \(options.dryRun ? "TEMPORARY " : "")TABLE IF NOT EXISTS `\(full)` (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                + "name VARCHAR(255) DEFAULT NULL, listorder INT DEFAULT 0, UNIQUE KEY name (name(150))) DEFAULT CHARSET=utf8mb4"
        )
        return TableLayout(name: full, columns: [.init(name: "id", charset: nil), .init(name: "name", charset: "utf8mb4"),
                                                 .init(name: "listorder", charset: nil)])
    }

    private func importAttributeValues(sourceAttribute: SourceRow, sourceID: Int64, into valueTable: TableLayout) throws {
        guard let tablename = sourceAttribute.string("tablename"), !tablename.isEmpty,
              let sourceValues = sourceTable(src.attributeValues(tablename)) else { return }
        let kind = "attrvalue:\(sourceID)"
        let rows = try source.query("SELECT \(sourceValues.selectList()) FROM `\(sourceValues.name)` ORDER BY id")
            .map { sourceValues.decode($0, stats: &report.encoding) }
        for row in rows {
            guard let valueID = row.int("id"), let name = row.string("name") else { continue }
            if ledger.lookup(kind, valueID) != nil { continue }
            if let existing = try target.query("SELECT id FROM `\(valueTable.name)` WHERE name = ? LIMIT 1", [name]).first {
                ledger.record(kind, valueID, try existing.decode("id", as: Int64.self))
                report.merged("attribute values")
            } else {
                let result = try target.execute("INSERT INTO `\(valueTable.name)` (name, listorder) VALUES (?, ?)",
                                                [name, row.int("listorder") ?? 0])
                ledger.record(kind, valueID, Int64(result.lastInsertID))
                report.added("attribute values")
            }
        }
    }

    /// A user attribute value in target terms: select/radio values are value-table ids, checkbox
    /// groups comma-separated ids; both go through the value map. Other types are copied as they are.
    func mappedAttributeValue(_ value: String, sourceAttributeID: Int64, type: String) -> String? {
        guard Self.valueTableTypes.contains(type), !value.isEmpty else { return value }
        let kind = "attrvalue:\(sourceAttributeID)"
        if type == "checkboxgroup" {
            return value.split(separator: ",").compactMap { Int64($0).flatMap { ledger.lookup(kind, $0) }.map(String.init) }
                .joined(separator: ",")
        }
        guard let id = Int64(value) else { return value }
        return ledger.lookup(kind, id).map(String.init)
    }
}
