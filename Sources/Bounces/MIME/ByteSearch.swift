/// Substring search over bytes. Foundation's String.contains/range(of:) dominated profiles of the
/// parser; bounce wording is ASCII, so an ASCII-lowercased byte copy (same length as the UTF-8 text)
/// is searched instead.
enum ByteSearch {
    static func asciiLowercased(_ text: String) -> [UInt8] {
        text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        var index = max(start, 0)
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
            }
            index += 1
        }
        return nil
    }

    static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        var found: Int?
        var from = 0
        while let index = firstIndex(of: needle, in: haystack, from: from) {
            found = index
            from = index + 1
        }
        return found
    }

    static func contains(_ needle: String, in haystack: [UInt8]) -> Bool {
        firstIndex(of: Array(needle.utf8), in: haystack) != nil
    }
}
