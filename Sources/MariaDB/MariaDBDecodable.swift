import Foundation

/// A Swift type a column value can be decoded into. Conversions are strict where data could be lost
/// (a negative number into `UInt64`, text into an integer) and lenient where MariaDB itself is
/// (numbers from DECIMAL text, `Bool` from any integer).
public protocol MariaDBDecodable {
    init(mariaDBValue: MariaDBValue) throws(MariaDBError)
}

extension MariaDBDecodable {
    static func mismatch(_ value: MariaDBValue) -> MariaDBError {
        .decode(column: "?", value: value.debugText, expected: String(describing: Self.self))
    }
}

extension MariaDBValue: MariaDBDecodable {
    public init(mariaDBValue: MariaDBValue) { self = mariaDBValue }
}

extension Int64: MariaDBDecodable {
    public init(mariaDBValue value: MariaDBValue) throws(MariaDBError) {
        switch value {
        case .int(let number): self = number
        case .uint(let number):
            guard let exact = Int64(exactly: number) else { throw Self.mismatch(value) }
            self = exact
        case .string(let text):
            guard let number = Int64(text) else { throw Self.mismatch(value) }
            self = number
        case .double(let number):
            guard let exact = Int64(exactly: number) else { throw Self.mismatch(value) }
            self = exact
        default: throw Self.mismatch(value)
        }
    }
}

extension Int: MariaDBDecodable {
    public init(mariaDBValue value: MariaDBValue) throws(MariaDBError) {
        let wide = try Int64(mariaDBValue: value)
        guard let exact = Int(exactly: wide) else { throw Self.mismatch(value) }
        self = exact
    }
}

extension Int32: MariaDBDecodable {
    public init(mariaDBValue value: MariaDBValue) throws(MariaDBError) {
        let wide = try Int64(mariaDBValue: value)
        guard let exact = Int32(exactly: wide) else { throw Self.mismatch(value) }
        self = exact
    }
}

extension UInt64: MariaDBDecodable {
    public init(mariaDBValue value: MariaDBValue) throws(MariaDBError) {
        switch value {
        case .uint(let number): self = number
        case .int(let number):
            guard let exact = UInt64(exactly: number) else { throw Self.mismatch(value) }
            self = exact
        case .string(let text):
            guard let number = UInt64(text) else { throw Self.mismatch(value) }
            self = number
        default: throw Self.mismatch(value)
        }
    }
}

extension Double: MariaDBDecodable {
    public init(mariaDBValue value: MariaDBValue) throws(MariaDBError) {
        switch value {
        case .double(let number): self = number
        case .int(let number): self = Double(number)
        case .uint(let number): self = Double(number)
        case .string(let text):
            // DECIMAL columns arrive as text.
            guard let number = Double(text) else { throw Self.mismatch(value) }
            self = number
        default: throw Self.mismatch(value)
        }
    }
}

extension String: MariaDBDecodable {
    public init(mariaDBValue value: MariaDBValue) throws(MariaDBError) {
        switch value {
        case .string(let text): self = text
        case .int(let number): self = String(number)
        case .uint(let number): self = String(number)
        case .double(let number): self = String(number)
        case .datetime(let dateTime): self = dateTime.sql
        case .bytes(let bytes):
            // A BLOB or VARBINARY column read as text: only valid UTF-8 is accepted.
            guard let text = String(validating: bytes, as: UTF8.self) else { throw Self.mismatch(value) }
            self = text
        case .null: throw Self.mismatch(value)
        }
    }
}

extension Bool: MariaDBDecodable {
    public init(mariaDBValue value: MariaDBValue) throws(MariaDBError) {
        switch value {
        case .int(let number): self = number != 0
        case .uint(let number): self = number != 0
        case .string(let text) where Int64(text) != nil: self = Int64(text)! != 0
        default: throw Self.mismatch(value)
        }
    }
}

extension Array: MariaDBDecodable where Element == UInt8 {
    public init(mariaDBValue value: MariaDBValue) throws(MariaDBError) {
        switch value {
        case .bytes(let bytes): self = bytes
        case .string(let text): self = Array(text.utf8)
        default: throw Self.mismatch(value)
        }
    }
}

extension MariaDBDateTime: MariaDBDecodable {
    public init(mariaDBValue value: MariaDBValue) throws(MariaDBError) {
        switch value {
        case .datetime(let dateTime): self = dateTime
        case .string(let text):
            guard let parsed = MariaDBDateTime(sql: text) else { throw Self.mismatch(value) }
            self = parsed
        default: throw Self.mismatch(value)
        }
    }
}

extension Date: MariaDBDecodable {
    /// The stored wall-clock time read as UTC. The zero date has no `Date` (decode `Date?` to get nil).
    public init(mariaDBValue value: MariaDBValue) throws(MariaDBError) {
        let dateTime = try MariaDBDateTime(mariaDBValue: value)
        guard !dateTime.isZero else { throw Self.mismatch(value) }
        self = dateTime.date
    }
}

extension Optional: MariaDBDecodable where Wrapped: MariaDBDecodable {
    /// NULL becomes nil; so does MariaDB's zero date when decoding `Date?`.
    public init(mariaDBValue value: MariaDBValue) throws(MariaDBError) {
        if case .null = value {
            self = nil
            return
        }
        if Wrapped.self == Date.self, case .datetime(let dateTime) = value, dateTime.isZero {
            self = nil
            return
        }
        self = try Wrapped(mariaDBValue: value)
    }
}
