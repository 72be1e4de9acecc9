import Foundation
import MariaDB

extension PHPListDatabase {
    static let subscriberColumns =
        "id, email, confirmed, blacklisted, disabled, htmlemail, bouncecount, uniqid, uuid"

    static func subscriber(from row: MariaDBRow) throws -> Subscriber {
        Subscriber(
            id: try row.decode("id"),
            email: try row.decode("email"),
            confirmed: (try row.decode("confirmed", as: Int?.self) ?? 0) != 0,
            blacklisted: (try row.decode("blacklisted", as: Int?.self) ?? 0) != 0,
            disabled: (try row.decode("disabled", as: Int?.self) ?? 0) != 0,
            htmlEmail: (try row.decode("htmlemail", as: Int?.self) ?? 0) != 0,
            bounceCount: try row.decode("bouncecount", as: Int?.self) ?? 0,
            uniqid: try row.decode("uniqid", as: String?.self) ?? "",
            uuid: try row.decode("uuid", as: String?.self) ?? ""
        )
    }

    public func subscriber(id: Int) async throws -> Subscriber? {
        let rows = try await pool.query("SELECT \(Self.subscriberColumns) FROM \(tables.user) WHERE id = ?", [id])
        return try rows.first.map(Self.subscriber(from:))
    }

    /// Looks a subscriber up by address; PHPList's collation makes this case-insensitive.
    public func subscriber(email: String) async throws -> Subscriber? {
        let rows = try await pool.query("SELECT \(Self.subscriberColumns) FROM \(tables.user) WHERE email = ?", [email])
        return try rows.first.map(Self.subscriber(from:))
    }

    /// All subscribers in id order, streamed: memory stays flat whatever the table's size.
    public func allSubscribers() -> AsyncThrowingStream<Subscriber, Error> {
        let rows = pool.stream("SELECT \(Self.subscriberColumns) FROM \(tables.user) ORDER BY id")
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await row in rows { continuation.yield(try Self.subscriber(from: row)) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func attributeDefinitions() async throws -> [AttributeDefinition] {
        let rows = try await pool.query(
            "SELECT id, name, type, tablename, default_value FROM \(tables.attribute) ORDER BY listorder, id"
        )
        return try rows.map { row in
            AttributeDefinition(
                id: try row.decode("id"),
                name: try row.decode("name"),
                kind: AttributeDefinition.Kind(rawValue: try row.decode("type", as: String?.self) ?? "") ?? .unknown,
                tableName: try row.decode("tablename", as: String?.self) ?? "",
                defaultValue: try row.decode("default_value", as: String?.self) ?? ""
            )
        }
    }

    /// A subscriber's attribute values by attribute name, as placeholders show them (select/radio
    /// values resolved through their `listattr_` tables; see `AttributeResolver`).
    public func attributeValues(subscriber id: Int) async throws -> [String: String] {
        let resolver = try await attributeResolver()
        let rows = try await pool.query(
            "SELECT attributeid, value FROM \(tables.userAttribute) WHERE userid = ?", [id]
        )
        return resolver.resolve(try rows.map { (try $0.decode("attributeid"), try $0.decode("value", as: String?.self) ?? "") })
    }
}
