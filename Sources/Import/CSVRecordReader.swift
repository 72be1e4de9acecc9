import Foundation

/// Reads delimited records from a file a chunk at a time (RFC 4180 quoting: fields in double quotes
/// may hold delimiters, newlines and doubled quotes), so a file of any size costs one chunk of memory.
/// Each record carries the line it starts on, for error messages.
struct CSVRecordReader {
    struct Record {
        let line: Int
        let fields: [String]
        /// Set when the record is malformed (the reason, for the report).
        let problem: String?
    }

    let delimiter: UInt8
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var line = 1
    private var chunksBytes = 0
    static let chunkSize = 1 << 16

    /// Bytes of the file consumed so far (for a progress estimate).
    var bytesRead: Int { chunksBytes - (buffer.count - position) }

    init(path: String, delimiter: UInt8) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.csvUnreadable(path: path, reason: "no such file or not readable")
        }
        self.handle = handle
        self.delimiter = delimiter
    }

    /// The delimiter of PHPList's export (tab; comma with EXPORT_EXCEL) or of a plain file, from its first line.
    static func detectDelimiter(path: String) throws -> UInt8 {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.csvUnreadable(path: path, reason: "no such file or not readable")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 8192)) ?? Data()
        let firstLine = head.prefix { $0 != 0x0A }
        if firstLine.contains(0x09) { return 0x09 }
        let semicolons = firstLine.filter { $0 == 0x3B }.count
        let commas = firstLine.filter { $0 == 0x2C }.count
        return semicolons > commas ? 0x3B : 0x2C
    }

    private mutating func byte() -> UInt8? {
        if position == buffer.count {
            guard !atEnd else { return nil }
            let data = (try? handle.read(upToCount: Self.chunkSize)) ?? Data()
            if data.isEmpty {
                atEnd = true
                try? handle.close()
                return nil
            }
            buffer = Array(data)
            chunksBytes += buffer.count
            position = 0
        }
        defer { position += 1 }
        return buffer[position]
    }

    private mutating func peek() -> UInt8? {
        if position == buffer.count, let next = byte() {
            position -= 1
            return next
        }
        return position < buffer.count ? buffer[position] : nil
    }

    /// The next record, or nil at the end of the file. Blank lines are skipped.
    mutating func next() -> Record? {
        while true {
            let start = line
            var fields: [String] = []
            var field: [UInt8] = []
            var quoted = false
            var fieldStarted = false
            var sawAny = false
            while true {
                guard let c = byte() else {
                    if quoted {
                        fields.append(Self.text(field))
                        return Record(line: start, fields: fields, problem: "unterminated quoted field (opened on line \(start))")
                    }
                    if !sawAny { return nil }
                    fields.append(Self.text(field))
                    return Record(line: start, fields: fields, problem: nil)
                }
                sawAny = true
                if quoted {
                    if c == 0x22 {
                        if peek() == 0x22 {
                            _ = byte()
                            field.append(0x22)
                        } else {
                            quoted = false
                        }
                    } else {
                        if c == 0x0A { line += 1 }
                        field.append(c)
                    }
                    continue
                }
                if c == 0x22 && !fieldStarted {
                    quoted = true
                    fieldStarted = true
                } else if c == delimiter {
                    fields.append(Self.text(field))
                    field.removeAll(keepingCapacity: true)
                    fieldStarted = false
                } else if c == 0x0A {
                    line += 1
                    fields.append(Self.text(field))
                    break
                } else if c == 0x0D && peek() == 0x0A {
                    continue
                } else {
                    field.append(c)
                    fieldStarted = true
                }
            }
            if fields.count == 1 && fields[0].isEmpty { continue }
            return Record(line: start, fields: fields, problem: nil)
        }
    }

    /// UTF-8 when valid, else cp1252 (spreadsheet exports on Windows).
    private static func text(_ bytes: [UInt8]) -> String {
        String(validating: bytes, as: UTF8.self) ?? TextRepair.cp1252(bytes)
    }
}
