/// A PHP value as PHPList stores or configures it: an assignment of its `config.php` (read without
/// running PHP) or a `serialize()`d value of `messagedata`.
///
/// Conversions follow PHP's own rules (`(string)`, `(int)`, `(bool)` casts) because PHPList reads these
/// values loosely: `define('TEST', '0')` and `define('TEST', false)` both mean "not in test mode".
public enum PHPValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([PHPArrayElement])

    /// PHP's string conversion: `true` → "1", `false`/`null` → "", numbers in decimal.
    public var stringValue: String? {
        switch self {
        case .null: return ""
        case .bool(let value): return value ? "1" : ""
        case .int(let value): return String(value)
        case .double(let value):
            return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .string(let value): return value
        case .array: return nil
        }
    }

    /// PHP's integer conversion: leading digits of a string ("110/pop3" → 110), booleans as 0/1.
    public var intValue: Int? {
        switch self {
        case .null: return 0
        case .bool(let value): return value ? 1 : 0
        case .int(let value): return value
        case .double(let value): return value.isFinite ? Int(value) : nil
        case .string(let value): return Self.leadingInteger(of: value)
        case .array: return nil
        }
    }

    /// PHP's truthiness: "", "0", 0, 0.0, null and empty arrays are false.
    public var boolValue: Bool {
        switch self {
        case .null: return false
        case .bool(let value): return value
        case .int(let value): return value != 0
        case .double(let value): return value != 0
        case .string(let value): return !(value.isEmpty || value == "0")
        case .array(let elements): return !elements.isEmpty
        }
    }

    /// The element stored under `key` when this is an array.
    public subscript(key: PHPArrayKey) -> PHPValue? {
        guard case .array(let elements) = self else { return nil }
        return elements.last(where: { $0.key == key })?.value
    }

    static func leadingInteger(of text: String) -> Int? {
        let trimmed = text.drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" })
        var digits = ""
        for (index, character) in trimmed.enumerated() {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if index == 0, character == "-" || character == "+" {
                digits.append(character)
            } else {
                break
            }
        }
        return Int(digits) ?? 0
    }
}

/// A key of a PHP array: integers and strings are distinct keys.
public enum PHPArrayKey: Sendable, Hashable {
    case int(Int)
    case string(String)
}

/// One `key => value` pair of a PHP array, in source order.
public struct PHPArrayElement: Sendable, Equatable {
    public var key: PHPArrayKey
    public var value: PHPValue

    public init(key: PHPArrayKey, value: PHPValue) {
        self.key = key
        self.value = value
    }
}
