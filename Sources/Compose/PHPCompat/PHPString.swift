// Byte-level equivalents of the PHP string functions PHPList composes messages with. PHP strings are bytes
// and its case-insensitive functions (str_ireplace, stripos) fold ASCII letters only (PHP ≥ 8.2), so these
// work on UTF-8 bytes and fold A–Z only: a placeholder "[PRÉNOM]" matches "[prÉnom]" but not "[PRéNOM]",
// exactly as in PHPList.
enum PHPString {
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }

    /// stripos: first index of `needle` in `haystack` at or after `from`, ASCII case-insensitive.
    static func indexCaseInsensitive(of needle: [UInt8], in haystack: [UInt8], from: Int = 0) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = lower(needle[0])
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if lower(haystack[i]) == first {
                var j = 1
                while j < needle.count && lower(haystack[i + j]) == lower(needle[j]) { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// strpos: first index, case-sensitive.
    static func index(of needle: [UInt8], in haystack: [UInt8], from: Int = 0) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == needle[0] {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func contains(_ haystack: String, _ needle: String) -> Bool {
        index(of: Array(needle.utf8), in: Array(haystack.utf8)) != nil
    }

    static func containsCaseInsensitive(_ haystack: String, _ needle: String) -> Bool {
        indexCaseInsensitive(of: Array(needle.utf8), in: Array(haystack.utf8)) != nil
    }

    /// PHP `strpos(...)` used as a truth value: found at a position greater than 0.
    static func foundAfterStart(_ haystack: String, _ needle: String) -> Bool {
        (index(of: Array(needle.utf8), in: Array(haystack.utf8)) ?? 0) > 0
    }

    /// str_replace (case-sensitive, every non-overlapping occurrence, left to right).
    static func replace(_ subject: String, _ search: String, with replacement: String) -> String {
        replaceAll(subject, search, with: replacement, caseInsensitive: false)
    }

    /// str_ireplace.
    static func ireplace(_ subject: String, _ search: String, with replacement: String) -> String {
        replaceAll(subject, search, with: replacement, caseInsensitive: true)
    }

    private static func replaceAll(_ subject: String, _ search: String, with replacement: String,
                                   caseInsensitive: Bool) -> String {
        let hay = Array(subject.utf8)
        let needle = Array(search.utf8)
        guard !needle.isEmpty else { return subject }
        var out: [UInt8] = []
        var pos = 0
        var found = false
        while let hit = caseInsensitive ? indexCaseInsensitive(of: needle, in: hay, from: pos)
            : index(of: needle, in: hay, from: pos) {
            if !found { out.reserveCapacity(hay.count) }
            found = true
            out.append(contentsOf: hay[pos..<hit])
            out.append(contentsOf: replacement.utf8)
            pos = hit + needle.count
        }
        guard found else { return subject }
        out.append(contentsOf: hay[pos...])
        return String(decoding: out, as: UTF8.self)
    }

    /// PHP trim() default character set: " \t\n\r\0\x0B".
    static func trim(_ s: String) -> String {
        let bytes = Array(s.utf8)
        var start = 0
        var end = bytes.count
        func ws(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x00 || b == 0x0B }
        while start < end && ws(bytes[start]) { start += 1 }
        while end > start && ws(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    static func ltrim(_ s: String) -> String {
        let bytes = Array(s.utf8)
        var start = 0
        while start < bytes.count,
              [0x20, 0x09, 0x0A, 0x0D, 0x00, 0x0B].contains(bytes[start]) { start += 1 }
        return String(decoding: bytes[start...], as: UTF8.self)
    }

    /// htmlspecialchars_decode with PHP 8.1+ default flags (ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML401).
    static func htmlspecialcharsDecode(_ s: String) -> String {
        guard s.utf8.contains(0x26) else { return s }
        var r = s
        for (entity, plain) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#039;", "'"), ("&#39;", "'"),
                                ("&amp;", "&")] {
            r = replace(r, entity, with: plain)
        }
        return r
    }

    /// strip_tags: removes tags, comments and PHP/processing instructions the way PHP's state machine does for
    /// well-formed mail HTML; a '<' followed by whitespace is kept as text.
    static func stripTags(_ s: String) -> String {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x3C /* < */ {
                let next = i + 1 < b.count ? b[i + 1] : 0
                if next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D || i + 1 >= b.count {
                    out.append(c)
                    i += 1
                    continue
                }
                if next == 0x21, i + 3 < b.count, b[i + 2] == 0x2D, b[i + 3] == 0x2D {
                    // comment: skip to -->
                    var j = i + 4
                    while j + 2 < b.count && !(b[j] == 0x2D && b[j + 1] == 0x2D && b[j + 2] == 0x3E) { j += 1 }
                    i = min(b.count, j + 3)
                    continue
                }
                var j = i + 1
                var quote: UInt8 = 0
                var depth = 1
                while j < b.count {
                    let d = b[j]
                    if quote != 0 {
                        if d == quote { quote = 0 }
                    } else if d == 0x22 || d == 0x27 {
                        quote = d
                    } else if d == 0x3C {
                        depth += 1
                    } else if d == 0x3E {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    j += 1
                }
                i = j + 1
                continue
            }
            out.append(c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// PHP's `strip_tags($x) != $x`: does the text contain markup.
    static func hasTags(_ s: String) -> Bool {
        stripTags(s) != s
    }

    /// PHP wordwrap($text, $width) with the default "\n" break and no cutting (byte-based, PHP's single-char
    /// break fast path).
    static func wordwrap(_ s: String, width: Int) -> String {
        var t = Array(s.utf8)
        var laststart = 0
        var lastspace = 0
        var current = 0
        while current < t.count {
            if t[current] == 0x0A {
                laststart = current + 1
                lastspace = current + 1
            } else if t[current] == 0x20 {
                if current - laststart >= width {
                    t[current] = 0x0A
                    laststart = current + 1
                }
                lastspace = current
            } else if current - laststart >= width && laststart != lastspace {
                t[lastspace] = 0x0A
                laststart = lastspace + 1
            }
            current += 1
        }
        return String(decoding: t, as: UTF8.self)
    }

    /// html_entity_decode($s, ENT_QUOTES, 'UTF-8'): named HTML 4.01 entities, &#nn; and &#xhh;.
    static func htmlEntityDecode(_ s: String) -> String {
        let b = Array(s.utf8)
        guard b.contains(0x26) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            guard b[i] == 0x26, let semi = b[(i + 1)..<min(b.count, i + 34)].firstIndex(of: 0x3B) else {
                out.append(b[i])
                i += 1
                continue
            }
            let name = b[(i + 1)..<semi]
            var scalar: UInt32?
            if name.first == 0x23 /* # */ {
                let digits = name.dropFirst()
                if digits.first == 0x78 || digits.first == 0x58 {
                    scalar = UInt32(String(decoding: digits.dropFirst(), as: UTF8.self), radix: 16)
                } else {
                    scalar = UInt32(String(decoding: digits, as: UTF8.self), radix: 10)
                }
                if let v = scalar, v == 0 || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF
                    || (v >= 0x80 && v <= 0x9F) { scalar = nil }
            } else {
                let key = String(decoding: name, as: UTF8.self)
                if key == "apos" { scalar = nil } else { scalar = HTMLEntities.named[key] }
            }
            if let v = scalar, let u = Unicode.Scalar(v) {
                out.append(contentsOf: String(Character(u)).utf8)
                i = semi + 1
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// htmlentities($key, ENT_QUOTES, 'UTF-8') for placeholder names: non-ASCII letters become named
    /// entities where HTML 4.01 has one, plus the htmlspecialchars set.
    static func htmlentities(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#039;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default:
                if ch.value >= 0xA0, let name = HTMLEntities.reverse[ch.value] {
                    out += "&\(name);"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }
}

extension HTMLEntities {
    static let reverse: [UInt32: String] = {
        var r: [UInt32: String] = [:]
        for (k, v) in named where r[v] == nil { r[v] = k }
        return r
    }()
}
