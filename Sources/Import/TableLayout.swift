import MariaDB

/// One table's columns as `information_schema` describes them: which ones exist (2.x and 3.x
/// layouts differ) and which hold text in a single-byte charset whose bytes must be read raw.
struct TableLayout: Sendable {
    struct Column: Sendable {
        let name: String
        /// `CHARACTER_SET_NAME`, lower-cased; nil for numbers, dates and blobs.
        let charset: String?

        /// Text stored in latin1 may hold UTF-8 bytes: read it as bytes and decide per value.
        var needsRepair: Bool { charset == "latin1" }
    }

    let name: String
    let columns: [Column]

    func has(_ column: String) -> Bool { columns.contains { $0.name == column } }

    /// The SELECT list for `wanted` columns that exist here (all when nil): latin1 text is cast to
    /// BINARY so the server does not convert (and thereby mangle) double-encoded values.
    func selectList(_ wanted: [String]? = nil) -> String {
        let chosen = wanted.map { names in columns.filter { names.contains($0.name) } } ?? columns
        return chosen.map { column in
            column.needsRepair ? "CAST(`\(column.name)` AS BINARY) AS `\(column.name)`" : "`\(column.name)`"
        }.joined(separator: ", ")
    }

    /// One column for a SELECT over an alias, cast to BINARY when it needs repair (`text` decodes it).
    func column(_ name: String, alias: String) -> String {
        columns.first { $0.name == name }?.needsRepair == true ? "CAST(\(alias).`\(name)` AS BINARY) AS `\(name)`" : "\(alias).`\(name)` AS `\(name)`"
    }

    /// A value read through `column`: repaired latin1 bytes or the text as the server sent it.
    static func text(_ value: MariaDBValue) -> String? {
        switch value {
        case .bytes(let bytes): return TextRepair.decodeLatin1Column(bytes).text
        case .string(let text): return text
        case .int(let number): return String(number)
        case .uint(let number): return String(number)
        default: return nil
        }
    }

    /// A row read with `selectList`, its latin1 values turned into the right Unicode text.
    func decode(_ row: MariaDBRow, stats: inout EncodingStats) -> SourceRow {
        var values: [String: MariaDBValue] = [:]
        for (index, name) in row.columns.names.enumerated() {
            let value = row[index]
            if let column = columns.first(where: { $0.name == name }), column.needsRepair, case .bytes(let bytes) = value {
                let (text, encoding) = TextRepair.decodeLatin1Column(bytes)
                stats.count(encoding)
                values[name] = .string(text)
            } else if case .bytes(let bytes) = value, let column = columns.first(where: { $0.name == name }), column.charset != nil {
                values[name] = .string(String(decoding: bytes, as: UTF8.self))
            } else {
                values[name] = value
            }
        }
        return SourceRow(values: values)
    }
}

/// How many latin1 values were plain latin1 and how many were UTF-8 bytes (for the report).
public struct EncodingStats: Sendable, Equatable {
    public var latin1Values = 0
    public var utf8InLatin1Values = 0

    mutating func count(_ encoding: TextRepair.Encoding) {
        switch encoding {
        case .ascii: break
        case .latin1: latin1Values += 1
        case .utf8: utf8InLatin1Values += 1
        }
    }
}

/// A source row by column name, text already in Unicode.
struct SourceRow: Sendable {
    var values: [String: MariaDBValue]

    subscript(_ column: String) -> MariaDBValue {
        get { values[column] ?? .null }
        set { values[column] = newValue }
    }

    func int(_ column: String) -> Int64? {
        switch self[column] {
        case .int(let value): return value
        case .uint(let value): return Int64(value)
        case .string(let text): return Int64(text)
        case .double(let value): return Int64(value)
        default: return nil
        }
    }

    func string(_ column: String) -> String? {
        switch self[column] {
        case .string(let text): return text
        case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .int(let value): return String(value)
        case .uint(let value): return String(value)
        default: return nil
        }
    }
}
