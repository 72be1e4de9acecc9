import Foundation
import MariaDB

/// Subscribers, a batch at a time, with their attribute values and list memberships.
///
/// The same address (compared case-insensitively, as the target's unique key does) is one subscriber:
/// the target row stays, keeping the stricter state (unconfirmed or blacklisted wins, the larger
/// bounce count, raised at the end to their united bounce links: recomputeSubscriberBounceCounts),
/// memberships are united, and source attribute values fill only blank target values.
/// A new subscriber keeps its uniqid and uuid (links in mail already sent keep working) unless the
/// target already uses them for someone else; a 2.x source has no uuid, so one is made.
extension ImportSession {
    func importSubscribers() throws {
        guard let sourceUsers = sourceTable(src.user) else { return }
        let targetUsers = try targetTable(dst.user)
        let columns = sharedColumns(sourceUsers, targetUsers).filter { $0 != "uuid" } + ["uuid"]
        let attributeTypes = try sourceAttributeTypes()
        try forEachSourcePage("subscribers", table: sourceUsers) { rows, _, _ in
            var fresh: [SourceRow] = []
            var pending = rows.filter { row in
                guard let id = row.int("id") else { return false }
                if ledger.lookup("user", id) != nil { return false }
                guard let email = row.string("email"), !email.trimmingCharacters(in: .whitespaces).isEmpty else {
                    report.skipped("subscribers", "without an email address")
                    return false
                }
                return true
            }
            let existing = try targetUsersByEmail(pending.compactMap { $0.string("email") }, table: targetUsers)
            var merges: [[any MariaDBEncodable]] = []
            var seen = Set<String>()
            for index in pending.indices {
                let row = pending[index]
                let key = row.string("email")!.lowercased()
                if let match = existing[key] {
                    merges.append([row.int("confirmed") ?? 0, row.int("blacklisted") ?? 0, row.int("bouncecount") ?? 0, match])
                    ledger.record("user", row.int("id")!, match)
                    report.merged("subscribers")
                } else if !seen.insert(key).inserted {
                    report.skipped("subscribers", "duplicate address in the source")
                } else {
                    fresh.append(row)
                }
            }
            try keepIdentifiersUnique(&fresh, table: targetUsers)
            // IGNORE: the unique key's collation may equate addresses that differ beyond case (accents);
            // such a row is mapped to the target's subscriber below, like a merge.
            let inserted = Int(try insert(into: targetUsers, columns: columns, rows: fresh, verb: "INSERT IGNORE"))
            report.added("subscribers", inserted)
            report.merged("subscribers", fresh.count - inserted)
            if !merges.isEmpty {
                _ = try target.executeBatch(
                    "UPDATE `\(targetUsers.name)` SET confirmed = LEAST(IFNULL(confirmed, 0), ?), "
                        + "blacklisted = GREATEST(IFNULL(blacklisted, 0), ?), bouncecount = GREATEST(IFNULL(bouncecount, 0), ?) WHERE id = ?",
                    rows: merges
                )
            }
            let created = try targetUsersByEmail(fresh.compactMap { $0.string("email") }, table: targetUsers)
            for row in fresh {
                let email = row.string("email")!
                if let id = created[email.lowercased()] {
                    ledger.record("user", row.int("id")!, id)
                } else if let match = try target.query("SELECT id FROM `\(targetUsers.name)` WHERE email = ?", [email]).first {
                    ledger.record("user", row.int("id")!, try match.decode("id", as: Int64.self))
                }
            }
            pending = pending.filter { ledger.lookup("user", $0.int("id")!) != nil }
            let ids = pending.compactMap { $0.int("id") }
            try copyAttributeValues(ofSourceUsers: ids, types: attributeTypes)
            try copyMemberships(ofSourceUsers: ids)
        }
    }

    /// Lower-cased email → target id, for those of `emails` the target has.
    private func targetUsersByEmail(_ emails: [String], table: TableLayout) throws -> [String: Int64] {
        guard !emails.isEmpty else { return [:] }
        var result: [String: Int64] = [:]
        for row in try target.query(
            "SELECT id, email FROM `\(table.name)` WHERE email IN (\(Self.placeholders(emails.count)))", emails
        ) {
            result[try row.decode("email", as: String.self).lowercased()] = try row.decode("id", as: Int64.self)
        }
        return result
    }

    /// New subscribers keep their uniqid/uuid unless the target already has them; 2.x rows get a uuid.
    private func keepIdentifiersUnique(_ rows: inout [SourceRow], table: TableLayout) throws {
        guard !rows.isEmpty else { return }
        for column in ["uniqid", "uuid"] where table.has(column) {
            let values = rows.compactMap { $0.string(column) }.filter { !$0.isEmpty }
            var taken = Set<String>()
            if !values.isEmpty {
                for row in try target.query(
                    "SELECT `\(column)` AS v FROM `\(table.name)` WHERE `\(column)` IN (\(Self.placeholders(values.count)))", values
                ) {
                    if let value = try row.decode("v", as: String?.self) { taken.insert(value.lowercased()) }
                }
            }
            for index in rows.indices {
                let value = rows[index].string(column) ?? ""
                if value.isEmpty || taken.contains(value.lowercased()) {
                    if !value.isEmpty { report.notes.appendOnce("some uniqid/uuid values collided with the target's and were replaced") }
                    rows[index][column] = .string(column == "uuid" ? UUID().uuidString.lowercased() : Self.newUniqid())
                }
            }
        }
    }

    static func newUniqid() -> String {
        (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    private func sourceAttributeTypes() throws -> [Int64: String] {
        guard let attributes = sourceTable(src.attribute) else { return [:] }
        var types: [Int64: String] = [:]
        for row in try source.query("SELECT id, type FROM `\(attributes.name)`") {
            types[try row.decode("id", as: Int64.self)] = try row.decode("type", as: String?.self) ?? ""
        }
        return types
    }

    /// Source values fill blanks only: a non-empty target value is never overwritten.
    private func copyAttributeValues(ofSourceUsers ids: [Int64], types: [Int64: String]) throws {
        guard !ids.isEmpty, let sourceValues = sourceTable(src.userAttribute) else { return }
        let targetValues = try targetTable(dst.userAttribute)
        let rows = try source.query(
            "SELECT \(sourceValues.selectList(["attributeid", "userid", "value"])) FROM `\(sourceValues.name)` "
                + "WHERE userid IN (\(Self.placeholders(ids.count)))", ids
        ).map { sourceValues.decode($0, stats: &report.encoding) }
        var out: [[any MariaDBEncodable]] = []
        for row in rows {
            guard let attribute = row.int("attributeid"), let user = row.int("userid"),
                  let targetAttribute = ledger.lookup("attribute", attribute), let targetUser = ledger.lookup("user", user) else {
                report.skipped("attribute values of subscribers", "attribute or subscriber not imported")
                continue
            }
            let value = row.string("value") ?? ""
            guard let mapped = mappedAttributeValue(value, sourceAttributeID: attribute, type: types[attribute] ?? "") else {
                report.skipped("attribute values of subscribers", "value id missing from the attribute's value table")
                continue
            }
            out.append([targetAttribute, targetUser, mapped])
        }
        guard !out.isEmpty else { return }
        _ = try target.executeBatch(
            "INSERT INTO `\(targetValues.name)` (attributeid, userid, value) VALUES (?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE value = IF(value IS NULL OR value = '', VALUES(value), value)",
            rows: out
        )
        report.added("attribute values of subscribers", out.count)
    }

    private func copyMemberships(ofSourceUsers ids: [Int64]) throws {
        guard !ids.isEmpty, let sourceMembers = sourceTable(src.listUser) else { return }
        let targetMembers = try targetTable(dst.listUser)
        let rows = try source.query(
            "SELECT \(sourceMembers.selectList()) FROM `\(sourceMembers.name)` WHERE userid IN (\(Self.placeholders(ids.count)))", ids
        ).map { sourceMembers.decode($0, stats: &report.encoding) }
        var out: [SourceRow] = []
        for var row in rows {
            guard let user = row.int("userid").flatMap({ ledger.lookup("user", $0) }),
                  let list = row.int("listid").flatMap({ ledger.lookup("list", $0) }) else {
                report.skipped("list memberships", "list not in the source's list table")
                continue
            }
            row["userid"] = .int(user)
            row["listid"] = .int(list)
            out.append(row)
        }
        let added = try insert(into: targetMembers, columns: sharedColumns(sourceMembers, targetMembers, excluding: []),
                               rows: out, verb: "INSERT IGNORE")
        report.added("list memberships", Int(added))
        report.merged("list memberships", out.count - Int(added))
    }
}

extension Array where Element == String {
    mutating func appendOnce(_ text: String) {
        if !contains(text) { append(text) }
    }
}
