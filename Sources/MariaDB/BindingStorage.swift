import CMariaDB

/// Owns the C memory that `MYSQL_BIND`s point into; it lives as long as the statement uses them
/// (libmariadb reads parameter buffers at execute and writes result buffers at every fetch).
final class BindingStorage {
    private var allocations: [UnsafeMutableRawPointer] = []

    /// Zeroed memory, freed with the storage.
    func allocate(bytes: Int, alignment: Int = 16) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: alignment)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(bytes, 1))
        allocations.append(pointer)
        return pointer
    }

    func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        allocate(bytes: MemoryLayout<T>.stride * count, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: count)
    }

    /// Copies `bytes` into C memory.
    func copy(_ bytes: some Collection<UInt8>, count: Int) -> UnsafeMutableRawPointer {
        let pointer = allocate(bytes: count, alignment: 1)
        let buffer = UnsafeMutableRawBufferPointer(start: pointer, count: count)
        buffer.copyBytes(from: bytes)
        return pointer
    }

    /// Allocates `count` zeroed `MYSQL_BIND`s.
    func binds(_ count: Int) -> UnsafeMutablePointer<MYSQL_BIND> {
        let binds = allocate(MYSQL_BIND.self, count: count)
        for index in 0..<count { binds[index] = MYSQL_BIND() }
        return binds
    }

    deinit {
        for pointer in allocations { pointer.deallocate() }
    }
}

extension MYSQL_TIME {
    init(_ value: MariaDBDateTime) {
        self.init()
        year = UInt32(clamping: value.year)
        month = UInt32(clamping: value.month)
        day = UInt32(clamping: value.day)
        hour = UInt32(clamping: value.hour)
        minute = UInt32(clamping: value.minute)
        second = UInt32(clamping: value.second)
        second_part = UInt(clamping: value.microsecond)
        time_type = MYSQL_TIMESTAMP_DATETIME
    }

    var dateTime: MariaDBDateTime {
        MariaDBDateTime(year: Int(year), month: Int(month), day: Int(day), hour: Int(hour), minute: Int(minute),
                        second: Int(second), microsecond: Int(second_part))
    }
}

/// Binds single-row parameters for a prepared statement.
struct ParameterBinder {
    static func bind(_ values: [MariaDBValue], into storage: BindingStorage) -> UnsafeMutablePointer<MYSQL_BIND> {
        let binds = storage.binds(values.count)
        for (index, value) in values.enumerated() {
            switch value {
            case .null:
                binds[index].buffer_type = MYSQL_TYPE_NULL
            case .int(let number):
                let buffer = storage.allocate(Int64.self, count: 1)
                buffer.pointee = number
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].buffer = UnsafeMutableRawPointer(buffer)
            case .uint(let number):
                let buffer = storage.allocate(UInt64.self, count: 1)
                buffer.pointee = number
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].is_unsigned = 1
                binds[index].buffer = UnsafeMutableRawPointer(buffer)
            case .double(let number):
                let buffer = storage.allocate(Double.self, count: 1)
                buffer.pointee = number
                binds[index].buffer_type = MYSQL_TYPE_DOUBLE
                binds[index].buffer = UnsafeMutableRawPointer(buffer)
            case .string(let text):
                let count = text.utf8.count
                binds[index].buffer_type = MYSQL_TYPE_STRING
                binds[index].buffer = storage.copy(text.utf8, count: count)
                binds[index].buffer_length = UInt(count)
            case .bytes(let bytes):
                binds[index].buffer_type = MYSQL_TYPE_BLOB
                binds[index].buffer = storage.copy(bytes, count: bytes.count)
                binds[index].buffer_length = UInt(bytes.count)
            case .datetime(let dateTime):
                let buffer = storage.allocate(MYSQL_TIME.self, count: 1)
                buffer.pointee = MYSQL_TIME(dateTime)
                binds[index].buffer_type = MYSQL_TYPE_DATETIME
                binds[index].buffer = UnsafeMutableRawPointer(buffer)
                binds[index].buffer_length = UInt(MemoryLayout<MYSQL_TIME>.size)
            }
        }
        return binds
    }
}
