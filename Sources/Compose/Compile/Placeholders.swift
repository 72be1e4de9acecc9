/// PHPList's parsePlaceHolders($content, $array) run on symbolic strings: for every key in order (plus the
/// htmlentities and "&nbsp;" spellings PHPList adds after the original keys) replace "[KEY]" case-
/// insensitively, then the first "[KEY%%default]" form found (all its occurrences) by the value, or the default
/// when the value is empty.
struct PlaceholderEntry {
    var key: String
    /// Fixed or symbolic value. For a subscriber-dependent value, `make` builds the marker: it receives the
    /// text of the placeholder occurrence (to leave it literal when the attribute is absent) and the `%%`
    /// default if any.
    var value: Value

    enum Value {
        case fixed(String)
        case dynamic((_ original: String, _ defaultValue: String?) -> String)
    }
}

enum Placeholders {
    static func parse(_ content: String, _ entries: [PlaceholderEntry]) -> String {
        var all = entries
        for e in entries {
            let entity = PHPString.htmlentities(e.key)
            if entity != e.key, !all.contains(where: { $0.key == entity }) {
                all.append(PlaceholderEntry(key: entity, value: e.value))
            }
            let nbsp = PHPString.ireplace(e.key, " ", with: "&nbsp;")
            if nbsp != e.key, !all.contains(where: { $0.key == nbsp }) {
                all.append(PlaceholderEntry(key: nbsp, value: e.value))
            }
        }
        var s = content
        for e in all {
            let token = "[" + e.key + "]"
            if PHPString.containsCaseInsensitive(s, token) {
                s = replaceEach(s, token) { original in
                    switch e.value {
                    case .fixed(let v): return v
                    case .dynamic(let make): return make(original, nil)
                    }
                }
            }
            // First "[KEY%%default]" (case-insensitive key); all its occurrences.
            if let (matched, defaultValue) = firstDefaultForm(s, key: e.key) {
                s = replaceEach(s, matched) { _ in
                    switch e.value {
                    case .fixed(let v): return v != "" ? v : defaultValue
                    case .dynamic(let make): return make(matched, defaultValue)
                    }
                }
            }
        }
        return s
    }

    /// str_ireplace where each occurrence's replacement may depend on the occurrence's own text.
    static func replaceEach(_ s: String, _ needle: String, _ make: (String) -> String) -> String {
        let hay = Array(s.utf8)
        let n = Array(needle.utf8)
        var out: [UInt8] = []
        var pos = 0
        var any = false
        while let hit = PHPString.indexCaseInsensitive(of: n, in: hay, from: pos) {
            any = true
            out.append(contentsOf: hay[pos..<hit])
            out.append(contentsOf: make(String(decoding: hay[hit..<hit + n.count], as: UTF8.self)).utf8)
            pos = hit + n.count
        }
        guard any else { return s }
        out.append(contentsOf: hay[pos...])
        return String(decoding: out, as: UTF8.self)
    }

    /// preg_match('/\[KEY%%([^\]]+)\]/i'): the matched text and the default.
    static func firstDefaultForm(_ s: String, key: String) -> (String, String)? {
        let hay = Array(s.utf8)
        let prefix = Array(("[" + key + "%%").utf8)
        var from = 0
        while let hit = PHPString.indexCaseInsensitive(of: prefix, in: hay, from: from) {
            var j = hit + prefix.count
            let start = j
            while j < hay.count && hay[j] != 0x5D { j += 1 }
            if j < hay.count && j > start {
                return (String(decoding: hay[hit...j], as: UTF8.self),
                        String(decoding: hay[start..<j], as: UTF8.self))
            }
            from = hit + 1
        }
        return nil
    }
}
