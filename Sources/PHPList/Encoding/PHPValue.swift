/// A value PHP wrote with `serialize()` (PHPList stores arrays in `messagedata` as `SER:` + serialize).
public indirect enum PHPValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// PHP arrays keep insertion order and mix integer and string keys.
    case array([(key: PHPArrayKey, value: PHPValue)])

    public static func == (lhs: PHPValue, rhs: PHPValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The value as PHP would print it in a string context (arrays are not scalars: nil).
    public var scalarString: String? {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "1" : ""
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        case .array: return nil
        }
    }

    public var arrayValues: [PHPValue] {
        if case .array(let entries) = self { return entries.map(\.value) }
        return []
    }
}

public enum PHPArrayKey: Sendable, Hashable {
    case int(Int)
    case string(String)
}
