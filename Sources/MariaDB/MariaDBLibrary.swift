import CMariaDB

/// Process-wide initialisation of Connector/C. `mysql_library_init` is a macro, so the function it
/// expands to is called; a lazily initialised `static let` runs it exactly once, thread-safely.
enum MariaDBLibrary {
    static let initialised: Bool = mysql_server_init(0, nil, nil) == 0

    static func ensureInitialised() {
        _ = initialised
    }
}

/// Kind of values a result column holds, decided once per result set from the field metadata.
enum ColumnKind {
    case signed, unsigned, double, decimal, datetime, bytes, string

    static let binaryCharset: UInt32 = 63

    init(field: MYSQL_FIELD) {
        let unsigned = field.flags & UInt32(UNSIGNED_FLAG) != 0
        switch field.type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_INT24, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_YEAR:
            self = unsigned ? .unsigned : .signed
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
            self = .double
        case MYSQL_TYPE_DECIMAL, MYSQL_TYPE_NEWDECIMAL:
            self = .decimal
        case MYSQL_TYPE_DATE, MYSQL_TYPE_NEWDATE, MYSQL_TYPE_DATETIME, MYSQL_TYPE_TIMESTAMP,
             MYSQL_TYPE_DATETIME2, MYSQL_TYPE_TIMESTAMP2:
            self = .datetime
        case MYSQL_TYPE_BIT, MYSQL_TYPE_GEOMETRY:
            self = .bytes
        case MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB, MYSQL_TYPE_BLOB,
             MYSQL_TYPE_VAR_STRING, MYSQL_TYPE_STRING, MYSQL_TYPE_VARCHAR:
            self = field.charsetnr == Self.binaryCharset ? .bytes : .string
        default:
            // TIME, ENUM, SET, JSON, NULL: text.
            self = .string
        }
    }

    /// Converts a text-protocol value (`length` bytes at `pointer`) to a typed value.
    func decodeText(_ pointer: UnsafePointer<CChar>, length: Int) -> MariaDBValue {
        let raw = UnsafeRawBufferPointer(start: pointer, count: length)
        let bytes = raw.bindMemory(to: UInt8.self)
        switch self {
        case .signed:
            if let number = Self.parseSigned(bytes) { return .int(number) }
        case .unsigned:
            if let number = Self.parseUnsigned(bytes) { return .uint(number) }
        case .double:
            // Text values are NUL-terminated, so strtod reads exactly this value.
            return .double(strtod(pointer, nil))
        case .datetime:
            if let value = MariaDBDateTime(sqlBytes: bytes) { return .datetime(value) }
        case .bytes:
            return .bytes(Array(bytes))
        case .decimal, .string:
            break
        }
        return .string(String(decoding: bytes, as: UTF8.self))
    }

    static func parseUnsigned(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard !bytes.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard byte >= 48 && byte <= 57 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte - 48))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    static func parseSigned(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let first = bytes.first else { return nil }
        if first == 45 { // '-'
            guard let magnitude = parseUnsigned(UnsafeBufferPointer(rebasing: bytes.dropFirst())),
                  magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard let magnitude = parseUnsigned(bytes) else { return nil }
        return Int64(exactly: magnitude)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
