import CMariaDB

/// Column-wise array binding for `STMT_ATTR_ARRAY_SIZE`: one buffer per column holding the value of
/// every row (a contiguous array for numbers and dates, an array of pointers plus lengths for text
/// and blobs) and an indicator array marking NULLs.
struct BatchBinder {
    /// How one column is sent; mixed kinds in a column fall back to text (the server converts).
    enum Kind {
        case signed, unsigned, double, datetime, text, bytes, allNull

        init(column: Int, rows: ArraySlice<[MariaDBValue]>) {
            var kind: Kind = .allNull
            for row in rows {
                let next: Kind
                switch row[column] {
                case .null: continue
                case .int: next = .signed
                case .uint(let number): next = number <= UInt64(Int64.max) ? .signed : .unsigned
                case .double: next = .double
                case .datetime: next = .datetime
                case .string: next = .text
                case .bytes: next = .bytes
                }
                kind = Self.merge(kind, next)
            }
            self = kind
        }

        static func merge(_ a: Kind, _ b: Kind) -> Kind {
            switch (a, b) {
            case (.allNull, _): return b
            case _ where a == b: return a
            case (.signed, .unsigned), (.unsigned, .signed): return .unsigned
            case (.bytes, _), (_, .bytes): return .bytes
            default: return .text
            }
        }
    }

    static func bind(_ rows: ArraySlice<[MariaDBValue]>, columns: Int, into storage: BindingStorage) -> UnsafeMutablePointer<MYSQL_BIND> {
        let binds = storage.binds(columns)
        let count = rows.count
        for column in 0..<columns {
            let kind = Kind(column: column, rows: rows)
            let indicators = storage.allocate(CChar.self, count: count)
            for (offset, row) in rows.enumerated() where row[column].isNull {
                indicators[offset] = CChar(STMT_INDICATOR_NULL.rawValue)
            }
            binds[column].u.indicator = indicators
            switch kind {
            case .signed, .unsigned:
                let buffer = storage.allocate(UInt64.self, count: count)
                for (offset, row) in rows.enumerated() {
                    switch row[column] {
                    case .int(let number): buffer[offset] = UInt64(bitPattern: number)
                    case .uint(let number): buffer[offset] = number
                    default: break
                    }
                }
                binds[column].buffer_type = MYSQL_TYPE_LONGLONG
                binds[column].is_unsigned = kind == .unsigned ? 1 : 0
                binds[column].buffer = UnsafeMutableRawPointer(buffer)
            case .double:
                let buffer = storage.allocate(Double.self, count: count)
                for (offset, row) in rows.enumerated() {
                    if case .double(let number) = row[column] { buffer[offset] = number }
                }
                binds[column].buffer_type = MYSQL_TYPE_DOUBLE
                binds[column].buffer = UnsafeMutableRawPointer(buffer)
            case .datetime:
                // libmariadb treats temporal types as variable-length in array binding (no fixed
                // pack length): the buffer is an array of pointers to MYSQL_TIME values.
                let times = storage.allocate(MYSQL_TIME.self, count: count)
                let pointers = storage.allocate(UnsafeMutableRawPointer?.self, count: count)
                for (offset, row) in rows.enumerated() {
                    if case .datetime(let value) = row[column] { times[offset] = MYSQL_TIME(value) }
                    pointers[offset] = UnsafeMutableRawPointer(times + offset)
                }
                binds[column].buffer_type = MYSQL_TYPE_DATETIME
                binds[column].buffer = UnsafeMutableRawPointer(pointers)
            case .text, .bytes, .allNull:
                let pointers = storage.allocate(UnsafeMutableRawPointer?.self, count: count)
                let lengths = storage.allocate(UInt.self, count: count)
                let encoded = rows.map { Self.bytes(of: $0[column]) }
                let total = encoded.reduce(0) { $0 + $1.count }
                let arena = storage.allocate(bytes: total, alignment: 1)
                var position = 0
                for (offset, bytes) in encoded.enumerated() {
                    let start = arena + position
                    bytes.withUnsafeBytes { start.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                    pointers[offset] = start
                    lengths[offset] = UInt(bytes.count)
                    position += bytes.count
                }
                binds[column].buffer_type = kind == .bytes ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING
                binds[column].buffer = UnsafeMutableRawPointer(pointers)
                binds[column].length = lengths
            }
        }
        return binds
    }

    /// The text or raw bytes sent for a value in a text/blob column.
    private static func bytes(of value: MariaDBValue) -> [UInt8] {
        switch value {
        case .null: return [0] // never read (indicator is NULL); keeps baseAddress non-nil
        case .int(let number): return Array(String(number).utf8)
        case .uint(let number): return Array(String(number).utf8)
        case .double(let number): return Array(String(number).utf8)
        case .string(let text): return text.isEmpty ? [] : Array(text.utf8)
        case .bytes(let bytes): return bytes
        case .datetime(let value): return Array(value.sql.utf8)
        }
    }
}
