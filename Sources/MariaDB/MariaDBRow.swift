/// Column names of one result set, shared by all its rows.
public final class MariaDBColumns: Sendable {
    public let names: [String]
    private let indexByName: [String: Int]

    public init(names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        // The first column wins when a name repeats (as in `SELECT a.id, b.id`), like PHP's mysqli.
        for (position, name) in names.enumerated() where index[name.lowercased()] == nil {
            index[name.lowercased()] = position
        }
        self.indexByName = index
    }

    /// The position of `name`, compared case-insensitively like MariaDB column names.
    public func index(of name: String) -> Int? {
        indexByName[name] ?? indexByName[name.lowercased()]
    }

    public var count: Int { names.count }
}

/// One row of a result set.
public struct MariaDBRow: Sendable {
    public let columns: MariaDBColumns
    public let values: [MariaDBValue]

    public init(columns: MariaDBColumns, values: [MariaDBValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of column `name`, or `.null` when there is no such column (`decode` reports that case).
    public subscript(_ name: String) -> MariaDBValue {
        guard let index = columns.index(of: name) else { return .null }
        return values[index]
    }

    /// The value at `index`, or `.null` when out of range.
    public subscript(_ index: Int) -> MariaDBValue {
        values.indices.contains(index) ? values[index] : .null
    }

    public func decode<T: MariaDBDecodable>(_ name: String, as type: T.Type = T.self) throws(MariaDBError) -> T {
        guard let index = columns.index(of: name) else {
            throw .decode(column: name, value: "absent (no such column; columns: \(columns.names.joined(separator: ", ")))",
                          expected: String(describing: T.self))
        }
        return try decodeValue(values[index], column: name, as: type)
    }

    public func decode<T: MariaDBDecodable>(_ index: Int, as type: T.Type = T.self) throws(MariaDBError) -> T {
        guard values.indices.contains(index) else {
            throw .decode(column: "#\(index)", value: "absent (the row has \(values.count) columns)",
                          expected: String(describing: T.self))
        }
        return try decodeValue(values[index], column: columns.names[index], as: type)
    }

    private func decodeValue<T: MariaDBDecodable>(_ value: MariaDBValue, column: String, as type: T.Type) throws(MariaDBError) -> T {
        do {
            return try T(mariaDBValue: value)
        } catch {
            throw .decode(column: column, value: value.debugText, expected: String(describing: T.self))
        }
    }
}
