/// Looks up ReasonPhrases in a diagnostic: case-insensitive, whitespace collapsed, and a phrase must
/// start at a word boundary (so "uce" does not match "reduce").
enum PhraseMatcher {
    static func reason(in text: String, table: [(BounceReason, [String])]) -> BounceReason? {
        guard !text.isEmpty else { return nil }
        let normalized = normalize(text)
        for (reason, phrases) in table {
            for phrase in phrases where contains(normalized, phrase) { return reason }
        }
        return nil
    }

    static func normalize(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var lastWasSpace = false
        for byte in text.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                if !lastWasSpace { output.append(0x20) }
                lastWasSpace = true
            } else {
                output.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
                lastWasSpace = false
            }
        }
        return output
    }

    static func contains(_ haystack: [UInt8], _ phrase: String) -> Bool {
        let needle = Array(phrase.utf8)
        guard let first = needle.first, needle.count <= haystack.count else { return false }
        let needsBoundary = isWordByte(first)
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, !needsBoundary || index == 0 || !isWordByte(haystack[index - 1]) {
                var matched = true
                var offset = 1
                while offset < needle.count {
                    if haystack[index + offset] != needle[offset] { matched = false; break }
                    offset += 1
                }
                if matched { return true }
            }
            index += 1
        }
        return false
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
    }
}
