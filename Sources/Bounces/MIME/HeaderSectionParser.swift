/// Splits raw bytes into header section and body and unfolds header lines (RFC 5322 §2.2.3).
/// Accepts CRLF, LF and a mixture of both; never traps on malformed input.
enum HeaderSectionParser {
    /// Index of the first body byte, or `bytes.endIndex` when there is no blank line.
    static func bodyStart(_ bytes: ArraySlice<UInt8>) -> (headerEnd: Int, bodyStart: Int) {
        var index = bytes.startIndex
        // A message that starts with a blank line has no header section.
        if let first = bytes.first, first == 0x0A { return (index, index + 1) }
        if bytes.count >= 2, bytes[index] == 0x0D, bytes[index + 1] == 0x0A { return (index, index + 2) }
        while index < bytes.endIndex {
            if bytes[index] == 0x0A {
                var next = index + 1
                if next < bytes.endIndex, bytes[next] == 0x0D { next += 1 }
                if next < bytes.endIndex, bytes[next] == 0x0A { return (index, next + 1) }
                if next >= bytes.endIndex { return (index, bytes.endIndex) }
            }
            index += 1
        }
        return (bytes.endIndex, bytes.endIndex)
    }

    /// Parses unfolded fields. Lines without a colon before any whitespace are skipped,
    /// except the mbox "From " separator which is ignored silently.
    static func parseFields(_ bytes: ArraySlice<UInt8>) -> [HeaderField] {
        var fields: [HeaderField] = []
        var name: String?
        var value: [UInt8] = []
        func flush() {
            if let name {
                fields.append(HeaderField(name: name, rawValue: TextDecoding.string(value, charset: nil).trimmingWhitespace()))
            }
            name = nil
            value.removeAll(keepingCapacity: true)
        }
        for line in ByteLines.split(bytes) {
            guard let first = line.first else { continue }
            if first == 0x20 || first == 0x09 {
                if name != nil {
                    value.append(0x20)
                    value.append(contentsOf: line.drop { $0 == 0x20 || $0 == 0x09 })
                }
                continue
            }
            flush()
            guard let colon = line.firstIndex(of: 0x3A) else { continue }
            let candidate = line[line.startIndex..<colon]
            // Field names are printable ASCII without spaces (RFC 5322 §3.6.8); tolerate trailing blanks.
            let trimmed = candidate.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
            guard !trimmed.isEmpty, trimmed.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { continue }
            name = String(decoding: trimmed, as: UTF8.self)
            value.append(contentsOf: line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 })
        }
        flush()
        return fields
    }
}
