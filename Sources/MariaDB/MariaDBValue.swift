/// One value as the server sends or receives it.
public enum MariaDBValue: Sendable, Equatable, Hashable {
    case null
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case datetime(MariaDBDateTime)

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A short rendering for error messages (long strings and blobs are cut).
    var debugText: String {
        switch self {
        case .null: return "NULL"
        case .int(let value): return String(value)
        case .uint(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value):
            return value.count > 60 ? "'\(value.prefix(60))…'" : "'\(value)'"
        case .bytes(let value): return "<\(value.count) bytes>"
        case .datetime(let value): return "'\(value.sql)'"
        }
    }
}
