import CMariaDB

/// Result buffers for a prepared statement: integers as LONGLONG (signedness from the field flags),
/// floats as DOUBLE, dates as MYSQL_TIME, everything else (DECIMAL, text, blobs) as bytes in a buffer
/// that grows when a value does not fit (`MYSQL_DATA_TRUNCATED` → `mysql_stmt_fetch_column`).
final class ResultBindings {
    let columns: MariaDBColumns
    private let kinds: [ColumnKind]
    private let storage = BindingStorage()
    private let binds: UnsafeMutablePointer<MYSQL_BIND>
    private let isNull: UnsafeMutablePointer<my_bool>
    private let lengths: UnsafeMutablePointer<UInt>
    private let errors: UnsafeMutablePointer<my_bool>
    private var capacities: [Int]
    /// Grown buffers replace the originals (the storage frees both at the end).
    private var buffers: [UnsafeMutableRawPointer]

    init(metadata: UnsafeMutablePointer<MYSQL_RES>) {
        let count = Int(mysql_num_fields(metadata))
        let fields = mysql_fetch_fields(metadata)!
        binds = storage.binds(count)
        isNull = storage.allocate(my_bool.self, count: count)
        lengths = storage.allocate(UInt.self, count: count)
        errors = storage.allocate(my_bool.self, count: count)
        var names: [String] = []
        var kinds: [ColumnKind] = []
        var capacities: [Int] = []
        var buffers: [UnsafeMutableRawPointer] = []
        for index in 0..<count {
            let field = fields[index]
            names.append(String(decoding: UnsafeRawBufferPointer(start: field.name, count: Int(field.name_length)),
                                as: UTF8.self))
            let kind = ColumnKind(field: field)
            kinds.append(kind)
            let capacity: Int
            switch kind {
            case .signed, .unsigned:
                capacity = 8
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].is_unsigned = kind == .unsigned ? 1 : 0
            case .double:
                capacity = 8
                binds[index].buffer_type = MYSQL_TYPE_DOUBLE
            case .datetime:
                capacity = MemoryLayout<MYSQL_TIME>.stride
                binds[index].buffer_type = MYSQL_TYPE_DATETIME
            case .bytes, .string, .decimal:
                // Start small (most values are short) and grow on truncation.
                capacity = min(max(Int(field.length), 64), 1024)
                binds[index].buffer_type = kind == .bytes ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING
            }
            let buffer = storage.allocate(bytes: capacity)
            capacities.append(capacity)
            buffers.append(buffer)
            binds[index].buffer = buffer
            binds[index].buffer_length = UInt(capacity)
            binds[index].is_null = isNull + index
            binds[index].length = lengths + index
            binds[index].error = errors + index
        }
        self.columns = MariaDBColumns(names: names)
        self.kinds = kinds
        self.capacities = capacities
        self.buffers = buffers
    }

    func bind(to statement: UnsafeMutablePointer<MYSQL_STMT>) -> Bool {
        mysql_stmt_bind_result(statement, binds) == 0
    }

    /// After `MYSQL_DATA_TRUNCATED`: grows every buffer that was too small and fetches those
    /// columns again in full. Returns false when libmariadb refuses.
    func refetchTruncated(from statement: UnsafeMutablePointer<MYSQL_STMT>) -> Bool {
        var grew = false
        for index in 0..<kinds.count where isNull[index] == 0 {
            let needed = Int(lengths[index])
            guard needed > capacities[index] else { continue }
            let capacity = max(needed, capacities[index] * 2)
            let buffer = storage.allocate(bytes: capacity)
            buffers[index] = buffer
            capacities[index] = capacity
            binds[index].buffer = buffer
            binds[index].buffer_length = UInt(capacity)
            grew = true
            if mysql_stmt_fetch_column(statement, binds + index, UInt32(index), 0) != 0 { return false }
        }
        // Rebinding makes the next fetches use the grown buffers.
        return !grew || bind(to: statement)
    }

    /// The current row's values.
    func row() -> MariaDBRow {
        var values: [MariaDBValue] = []
        values.reserveCapacity(kinds.count)
        for index in 0..<kinds.count {
            if isNull[index] != 0 {
                values.append(.null)
                continue
            }
            let buffer = buffers[index]
            switch kinds[index] {
            case .signed:
                values.append(.int(buffer.load(as: Int64.self)))
            case .unsigned:
                values.append(.uint(buffer.load(as: UInt64.self)))
            case .double:
                values.append(.double(buffer.load(as: Double.self)))
            case .datetime:
                values.append(.datetime(buffer.load(as: MYSQL_TIME.self).dateTime))
            case .bytes:
                values.append(.bytes(Array(UnsafeRawBufferPointer(start: buffer, count: Int(lengths[index])))))
            case .string, .decimal:
                let bytes = UnsafeRawBufferPointer(start: buffer, count: Int(lengths[index]))
                values.append(.string(String(decoding: bytes, as: UTF8.self)))
            }
        }
        return MariaDBRow(columns: columns, values: values)
    }
}
