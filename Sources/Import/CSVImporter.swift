import Compose
import Foundation
import Logging
import MariaDB
import PHPList

/// `facteur import csv`: subscribers from PHPList's own export (tab-separated, a header of field labels,
/// attribute names and "List Membership") or a plain `email,name,…` file, streamed a batch at a time.
/// Each address goes through the project's validator (PHPList's is_email rules with the target's
/// `internet_tlds`); a bad row is reported with its line and never holds back the good ones; an address
/// the target (or an earlier line) already has never creates a second subscriber.
public struct CSVImporter: Sendable {
    public let target: MariaDBPool
    public let options: CSVImportOptions
    public let logger: Logger

    public init(target: MariaDBPool, options: CSVImportOptions, logger: Logger = Logger(label: "facteur.import.csv")) {
        self.target = target
        self.options = options
        self.logger = logger
    }

    public func run(progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }) async throws -> CSVImportReport {
        let options = self.options
        return try await target.withConnection { connection in
            var session = try CSVImportSession(connection: connection, options: options, progress: progress)
            return try session.run()
        }
    }
}

/// Header labels of PHPList's export (structure.php's user columns) and common plain names → user column.
enum CSVColumns {
    static let userFields: [String: String] = [
        "email": "email", "e-mail": "email", "email address": "email", "emailaddress": "email",
        "is this subscriber confirmed": "confirmed", "confirmed": "confirmed",
        "send this subscriber html emails": "htmlemail", "htmlemail": "htmlemail",
        "foreign key": "foreignkey", "foreignkey": "foreignkey",
    ]
    /// Export columns that describe the source installation, not the subscriber to create.
    ///
    /// "List Membership" is among them, as in PHPList's own import (admin/import2.php skips that column
    /// by name: "too complicated"): the export writes each list's name followed by one space, unquoted,
    /// or "No Lists", so a name with a space in it ("Target only") cannot be told from two names, and
    /// the names are the source installation's, not the target's. Every row goes to `--list` instead.
    static let ignored: Set<String> = [
        "id", "is this subscriber blacklisted", "did this subscriber manually confirm", "number of bounces", "entered",
        "last modified", "unique id", "rss frequency", "password", "is this account disabled?", "additional data",
        "list membership", "",
    ]
}

struct CSVImportSession {
    let connection: MariaDBConnection
    let options: CSVImportOptions
    let progress: (ImportProgress) -> Void
    let tlds: Set<String>
    var report = CSVImportReport()
    /// Lower-cased address → line it first appeared on (duplicates within the file).
    var seen: [String: Int] = [:]
    var valueIDs: [String: [String: Int64]] = [:]

    struct Attribute {
        let id: Int64
        let type: String
        let valueTable: String?
    }

    struct Row {
        let line: Int
        let email: String
        let confirmed: Int
        let htmlemail: Int
        let foreignkey: String?
        let attributes: [(Attribute, String)]
    }

    init(connection: MariaDBConnection, options: CSVImportOptions, progress: @escaping (ImportProgress) -> Void) throws {
        self.connection = connection
        self.options = options
        self.progress = progress
        let configured = try connection.query("SELECT value FROM `\(options.tables.config)` WHERE item = 'internet_tlds'")
            .first?.decode("value", as: String?.self) ?? nil
        let fromConfig = configured.map(EmailAddressValidator.tlds(fromConfig:)) ?? []
        tlds = fromConfig.isEmpty ? EmailAddressValidator.phpListDefaultTLDs : fromConfig
        guard try !connection.query("SELECT id FROM `\(options.tables.list)` WHERE id = ?", [options.listID]).isEmpty else {
            throw ImportError.unknownList(id: options.listID)
        }
    }

    mutating func run() throws -> CSVImportReport {
        let delimiter = try CSVRecordReader.detectDelimiter(path: options.path)
        var reader = try CSVRecordReader(path: options.path, delimiter: delimiter)
        guard let header = reader.next() else { return report }
        var names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        if let first = names.first, first.hasPrefix("\u{FEFF}") { names[0] = String(first.dropFirst()) }
        let plan = try columnPlan(names)
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: options.path)[.size] as? NSNumber)?.intValue ?? 0
        var batch: [Row] = []
        while let record = reader.next() {
            report.rows += 1
            if let problem = record.problem {
                reject(record.line, problem)
                continue
            }
            // PHPList's export ends every field with the delimiter: one trailing empty field is fine.
            var fields = record.fields
            if fields.count == names.count + 1, fields.last == "" { fields.removeLast() }
            guard fields.count == names.count else {
                reject(record.line, "\(fields.count) fields where line 1 has \(names.count)")
                continue
            }
            guard let row = parse(fields, line: record.line, plan: plan) else { continue }
            batch.append(row)
            if batch.count >= options.batchSize {
                try write(batch)
                batch.removeAll(keepingCapacity: true)
                // Rows in the whole file, estimated from the bytes read so far (for the ETA).
                let estimate = reader.bytesRead > 0 ? Int(Double(report.rows) * Double(fileSize) / Double(reader.bytesRead)) : nil
                progress(ImportProgress(step: "csv rows", done: report.rows, total: estimate))
            }
        }
        try write(batch)
        progress(ImportProgress(step: "csv rows", done: report.rows, total: report.rows))
        return report
    }

    private mutating func reject(_ line: Int, _ reason: String) {
        report.rejected.append(.init(line: line, reason: reason))
    }

    struct ColumnPlan {
        var email: Int
        var confirmed: Int?
        var htmlemail: Int?
        var foreignkey: Int?
        var attributes: [(Int, Attribute)] = []
    }

    private mutating func columnPlan(_ names: [String]) throws -> ColumnPlan {
        var attributes: [String: Attribute] = [:]
        for row in try connection.query("SELECT id, name, type, tablename FROM `\(options.tables.attribute)`") {
            let attribute = Attribute(id: try row.decode("id", as: Int64.self), type: try row.decode("type", as: String?.self) ?? "",
                                      valueTable: try row.decode("tablename", as: String?.self))
            attributes[try row.decode("name", as: String.self).lowercased()] = attribute
        }
        let mappings = Dictionary(options.mappings.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        var plan = ColumnPlan(email: -1)
        for (index, name) in names.enumerated() {
            let key = name.lowercased()
            if let attributeName = mappings[key] {
                if CSVColumns.userFields[attributeName.lowercased()] == "email" { plan.email = index; continue }
                guard let attribute = attributes[attributeName.lowercased()] else {
                    throw ImportError.unknownAttribute(column: name, attribute: attributeName)
                }
                plan.attributes.append((index, attribute))
            } else if let field = CSVColumns.userFields[key] {
                switch field {
                case "email": plan.email = index
                case "confirmed": plan.confirmed = index
                case "htmlemail": plan.htmlemail = index
                default: plan.foreignkey = index
                }
            } else if let attribute = attributes[key] {
                plan.attributes.append((index, attribute))
            } else if !CSVColumns.ignored.contains(key) {
                report.ignoredColumns.append(name)
            }
        }
        guard plan.email >= 0 else { throw ImportError.csvNoEmailColumn(path: options.path, header: names) }
        return plan
    }

    private mutating func parse(_ fields: [String], line: Int, plan: ColumnPlan) -> Row? {
        let email = fields[plan.email].trimmingCharacters(in: .whitespacesAndNewlines)
        guard !email.isEmpty else {
            reject(line, "no email address")
            return nil
        }
        guard EmailAddressValidator.isValid(email, tlds: tlds) else {
            reject(line, "invalid email address \"\(email)\"")
            return nil
        }
        if let first = seen[email.lowercased()] {
            reject(line, "duplicate of line \(first) (\(email))")
            return nil
        }
        seen[email.lowercased()] = line
        func flag(_ index: Int?, default value: Int) -> Int {
            guard let index else { return value }
            let text = fields[index].trimmingCharacters(in: .whitespaces).lowercased()
            return ["1", "yes", "y", "true", "on"].contains(text) ? 1 : (["0", "no", "n", "false", "off"].contains(text) ? 0 : value)
        }
        return Row(
            line: line, email: email,
            confirmed: options.unconfirmed ? 0 : flag(plan.confirmed, default: 1),
            htmlemail: options.textOnly ? 0 : flag(plan.htmlemail, default: 1),
            foreignkey: plan.foreignkey.map { fields[$0] }.flatMap { $0.isEmpty ? nil : $0 },
            attributes: plan.attributes.map { ($0.1, fields[$0.0]) }
        )
    }

    /// One batch in one transaction: new subscribers, list memberships, attribute values (blanks only).
    private mutating func write(_ rows: [Row]) throws {
        guard !rows.isEmpty else { return }
        let tables = options.tables
        try connection.execute("START TRANSACTION")
        do {
            let emails = rows.map(\.email)
            var existing = Set<String>()
            for row in try connection.query(
                "SELECT email FROM `\(tables.user)` WHERE email IN (\(ImportSession.placeholders(emails.count)))", emails
            ) { existing.insert(try row.decode("email", as: String.self).lowercased()) }
            let fresh = rows.filter { !existing.contains($0.email.lowercased()) }
            if !fresh.isEmpty {
                // INSERT IGNORE: an address that differs only in accents is the same to the unique key.
                let added = try connection.executeBatch(
                    "INSERT IGNORE INTO `\(tables.user)` (email, confirmed, blacklisted, optedin, bouncecount, entered, modified, uniqid, uuid, "
                        + "htmlemail, foreignkey, disabled) VALUES (?, ?, 0, 0, 0, NOW(), NOW(), ?, ?, ?, ?, 0)",
                    rows: fresh.map { [$0.email, $0.confirmed, ImportSession.newUniqid(), UUID().uuidString.lowercased(), $0.htmlemail, $0.foreignkey] }
                )
                report.added += Int(added)
                report.existing += rows.count - Int(added)
            } else {
                report.existing += rows.count
            }
            var ids: [String: Int64] = [:]
            for row in try connection.query(
                "SELECT id, email FROM `\(tables.user)` WHERE email IN (\(ImportSession.placeholders(emails.count)))", emails
            ) { ids[try row.decode("email", as: String.self).lowercased()] = try row.decode("id", as: Int64.self) }
            let members: [[any MariaDBEncodable]] = rows.compactMap { row in ids[row.email.lowercased()].map { [$0, options.listID] } }
            report.subscribedToList += Int(try connection.executeBatch(
                "INSERT IGNORE INTO `\(tables.listUser)` (userid, listid, entered, modified) VALUES (?, ?, NOW(), NOW())", rows: members
            ))
            var values: [[any MariaDBEncodable]] = []
            for row in rows {
                guard let id = ids[row.email.lowercased()] else { continue }
                for (attribute, raw) in row.attributes where !raw.isEmpty {
                    values.append([attribute.id, id, try storedValue(raw, for: attribute)])
                }
            }
            if !values.isEmpty {
                _ = try connection.executeBatch(
                    "INSERT INTO `\(tables.userAttribute)` (attributeid, userid, value) VALUES (?, ?, ?) "
                        + "ON DUPLICATE KEY UPDATE value = IF(value IS NULL OR value = '', VALUES(value), value)",
                    rows: values
                )
            }
            try connection.execute("COMMIT")
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Select/radio values are stored as ids of the attribute's value table (a new name is added to it,
    /// as PHPList's import does); checkbox groups as comma-separated ids.
    private mutating func storedValue(_ raw: String, for attribute: Attribute) throws -> String {
        guard ImportSession.valueTableTypes.contains(attribute.type), let table = attribute.valueTable, !table.isEmpty else { return raw }
        let names = attribute.type == "checkboxgroup" ? raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : [raw]
        var ids: [String] = []
        for name in names where !name.isEmpty {
            let full = options.tables.attributeValues(table)
            if let id = valueIDs[full]?[name.lowercased()] {
                ids.append(String(id))
                continue
            }
            let id: Int64
            if let row = try connection.query("SELECT id FROM `\(full)` WHERE name = ? LIMIT 1", [name]).first {
                id = try row.decode("id", as: Int64.self)
            } else {
                id = Int64(try connection.execute("INSERT INTO `\(full)` (name, listorder) VALUES (?, 0)", [name]).lastInsertID)
            }
            valueIDs[full, default: [:]][name.lowercased()] = id
            ids.append(String(id))
        }
        return ids.joined(separator: ",")
    }
}
