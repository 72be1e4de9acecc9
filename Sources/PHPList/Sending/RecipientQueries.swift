import Foundation
import MariaDB

/// processqueue's recipient selection: distinct confirmed, not blacklisted, not disabled members of the
/// campaign's lists without a `usermessage` row for it. Read page by page in id order (keyset), so the
/// whole audience is never in memory and a page always reflects claims made meanwhile.
extension PHPListDatabase {
    /// Driven from the user table's primary key (`u.id > cursor ORDER BY u.id LIMIT n`) so each page costs
    /// its own size, not a scan of every list member; the list and usermessage conditions are semi-joins.
    private func selectionSQL(listCount: Int, columns: String, after: Bool, limit: Bool) -> String {
        let lists = Array(repeating: "?", count: listCount).joined(separator: ",")
        return """
            SELECT \(columns) FROM \(tables.user) u
            WHERE NOT EXISTS (SELECT 1 FROM \(tables.userMessage) um WHERE um.userid = u.id AND um.messageid = ?)
              AND EXISTS (SELECT 1 FROM \(tables.listUser) lu WHERE lu.userid = u.id AND lu.listid IN (\(lists)))
              AND u.confirmed AND NOT u.blacklisted AND NOT u.disabled
            \(after ? "AND u.id > ? ORDER BY u.id LIMIT ?" : "")
            """
    }

    /// How many subscribers are still to be sent `campaign` ("Found them: N to process").
    public func pendingRecipientCount(campaign: Int, lists: [Int]) async throws -> Int {
        guard !lists.isEmpty else { return 0 }
        let rows = try await pool.query(
            selectionSQL(listCount: lists.count, columns: "COUNT(*) AS n", after: false, limit: false),
            SQLParameters.list([campaign], lists))
        return try rows.first?.decode("n", as: Int?.self) ?? 0
    }

    /// The next `limit` recipients with an id above `afterID`, attributes and list names filled in.
    public func recipientPage(campaign: Int, lists: [Int], afterID: Int, limit: Int,
                              attributes: AttributeResolver) async throws -> [QueueRecipient] {
        guard !lists.isEmpty else { return [] }
        let sql = selectionSQL(listCount: lists.count,
                               columns: "u.id, u.email, u.uniqid, u.uuid, u.htmlemail",
                               after: true, limit: true)
        let params = SQLParameters.list([campaign], lists, [afterID, limit])
        let tables = self.tables
        return try await pool.withConnection { connection in
            let recipients = try connection.query(sql, params).map(Self.recipient(from:))
            return try Self.withAttributesAndLists(recipients, connection: connection, tables: tables,
                                                   attributes: attributes)
        }
    }

    /// One subscriber by id or address, whatever their state, filled in as a recipient (what
    /// `facteur preview` renders).
    public func recipient(id: Int? = nil, email: String? = nil, attributes: AttributeResolver) async throws
        -> QueueRecipient?
    {
        let (condition, value): (String, any MariaDBEncodable) = id.map { ("id = ?", $0) } ?? ("email = ?", email ?? "")
        let sql = "SELECT id, email, uniqid, uuid, htmlemail FROM \(tables.user) WHERE \(condition)"
        let tables = self.tables
        return try await pool.withConnection { connection in
            let found = try connection.query(sql, [value]).map(Self.recipient(from:))
            return try Self.withAttributesAndLists(found, connection: connection, tables: tables,
                                                   attributes: attributes).first
        }
    }

    private static func recipient(from row: MariaDBRow) throws -> QueueRecipient {
        QueueRecipient(id: try row.decode("id"), email: try row.decode("email", as: String?.self) ?? "",
                       uniqid: try row.decode("uniqid", as: String?.self) ?? "",
                       uuid: try row.decode("uuid", as: String?.self) ?? "",
                       htmlEmail: (try row.decode("htmlemail", as: Int?.self) ?? 0) != 0)
    }

    /// Attribute values and the names of the active lists each recipient is on, two queries for all.
    private static func withAttributesAndLists(_ recipients: [QueueRecipient], connection: MariaDBConnection,
                                               tables: TableNames, attributes: AttributeResolver) throws
        -> [QueueRecipient]
    {
        guard !recipients.isEmpty else { return recipients }
        var recipients = recipients
        let ids = recipients.map(\.id)
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var attributeRows: [Int: [(Int, String)]] = [:]
        try connection.forEachRow(
            "SELECT userid, attributeid, value FROM \(tables.userAttribute) WHERE userid IN (\(marks))", ids
        ) { row in
            attributeRows[try row.decode("userid"), default: []].append(
                (try row.decode("attributeid"), try row.decode("value", as: String?.self) ?? ""))
        }
        var listNames: [Int: [String]] = [:]
        try connection.forEachRow(
            """
            SELECT lu.userid, l.name FROM \(tables.listUser) lu JOIN \(tables.list) l ON l.id = lu.listid
            WHERE lu.userid IN (\(marks)) AND l.active ORDER BY l.listorder, l.id
            """, ids
        ) { row in
            listNames[try row.decode("userid"), default: []].append(try row.decode("name", as: String?.self) ?? "")
        }
        for i in recipients.indices {
            recipients[i].attributes = attributes.resolve(attributeRows[recipients[i].id] ?? [])
            recipients[i].listNames = listNames[recipients[i].id] ?? []
        }
        return recipients
    }

    /// Loads attribute definitions and the option tables of select/radio/checkbox attributes once.
    public func attributeResolver() async throws -> AttributeResolver {
        let definitions = try await attributeDefinitions()
        var options: [Int: [Int: String]] = [:]
        for definition in definitions where definition.usesValueTable && !definition.tableName.isEmpty {
            let rows = try await pool.query("SELECT id, name FROM \(tables.attributeValues(definition.tableName))")
            var names: [Int: String] = [:]
            for row in rows { names[try row.decode("id")] = try row.decode("name", as: String?.self) ?? "" }
            options[definition.id] = names
        }
        return AttributeResolver(definitions: definitions, options: options)
    }
}

/// Turns stored `user_attribute` values into the display values placeholders show.
public struct AttributeResolver: Sendable {
    public let definitions: [AttributeDefinition]
    let options: [Int: [Int: String]]
    private let byID: [Int: AttributeDefinition]

    init(definitions: [AttributeDefinition], options: [Int: [Int: String]]) {
        self.definitions = definitions
        self.options = options
        var byID: [Int: AttributeDefinition] = [:]
        for d in definitions { byID[d.id] = d }
        self.byID = byID
    }

    public var names: [String] { definitions.map(\.name) }

    func resolve(_ stored: [(Int, String)]) -> [String: String] {
        var values: [String: String] = [:]
        for (attributeID, value) in stored {
            guard let definition = byID[attributeID] else { continue }
            if let table = options[attributeID] {
                let ids = value.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                values[definition.name] = ids.compactMap { table[$0] }.joined(separator: "; ")
            } else {
                values[definition.name] = value
            }
        }
        return values
    }
}
