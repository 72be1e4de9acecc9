import Foundation

/// A Swift value that can be sent as a statement parameter.
public protocol MariaDBEncodable: Sendable {
    var mariaDBValue: MariaDBValue { get }
}

extension MariaDBValue: MariaDBEncodable {
    public var mariaDBValue: MariaDBValue { self }
}

extension Int: MariaDBEncodable {
    public var mariaDBValue: MariaDBValue { .int(Int64(self)) }
}

extension Int64: MariaDBEncodable {
    public var mariaDBValue: MariaDBValue { .int(self) }
}

extension Int32: MariaDBEncodable {
    public var mariaDBValue: MariaDBValue { .int(Int64(self)) }
}

extension UInt64: MariaDBEncodable {
    public var mariaDBValue: MariaDBValue { .uint(self) }
}

extension Double: MariaDBEncodable {
    public var mariaDBValue: MariaDBValue { .double(self) }
}

extension String: MariaDBEncodable {
    public var mariaDBValue: MariaDBValue { .string(self) }
}

extension Substring: MariaDBEncodable {
    public var mariaDBValue: MariaDBValue { .string(String(self)) }
}

extension Bool: MariaDBEncodable {
    /// PHPList stores flags in TINYINT columns as 0/1.
    public var mariaDBValue: MariaDBValue { .int(self ? 1 : 0) }
}

extension Array: MariaDBEncodable where Element == UInt8 {
    public var mariaDBValue: MariaDBValue { .bytes(self) }
}

extension Date: MariaDBEncodable {
    /// Sent as the UTC wall-clock time.
    public var mariaDBValue: MariaDBValue { .datetime(MariaDBDateTime(date: self)) }
}

extension MariaDBDateTime: MariaDBEncodable {
    public var mariaDBValue: MariaDBValue { .datetime(self) }
}

extension Optional: MariaDBEncodable where Wrapped: MariaDBEncodable {
    public var mariaDBValue: MariaDBValue { self?.mariaDBValue ?? .null }
}
