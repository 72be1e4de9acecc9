import Foundation

// A thin wrapper giving NSRegularExpression the preg_* shapes PHPList's compile-time steps use. Only the
// campaign compiler uses it (once per campaign); rendering per subscriber never touches a regex.
struct PCRE {
    let regex: NSRegularExpression

    /// `options`: i (case-insensitive), s (dot matches newline), m (multiline anchors). PCRE's U (ungreedy)
    /// flag has no ICU equivalent: patterns are written with explicit lazy quantifiers instead.
    init(_ pattern: String, _ options: String = "") {
        var o: NSRegularExpression.Options = []
        if options.contains("i") { o.insert(.caseInsensitive) }
        if options.contains("s") { o.insert(.dotMatchesLineSeparators) }
        if options.contains("m") { o.insert(.anchorsMatchLines) }
        // Patterns are literals in this module; a bad one is a programming error caught by the tests.
        regex = try! NSRegularExpression(pattern: pattern, options: o)
    }

    struct Match {
        let range: Range<String.Index>
        let groups: [String?]
        subscript(_ i: Int) -> String { groups[i] ?? "" }
        var whole: String { groups[0] ?? "" }
    }

    func matches(in s: String) -> [Match] {
        let ns = NSRange(s.startIndex..., in: s)
        return regex.matches(in: s, range: ns).map { m in
            let groups = (0..<m.numberOfRanges).map { i -> String? in
                guard let r = Range(m.range(at: i), in: s) else { return nil }
                return String(s[r])
            }
            return Match(range: Range(m.range, in: s)!, groups: groups)
        }
    }

    func firstMatch(in s: String) -> Match? {
        let ns = NSRange(s.startIndex..., in: s)
        guard let m = regex.firstMatch(in: s, range: ns) else { return nil }
        let groups = (0..<m.numberOfRanges).map { i -> String? in
            guard let r = Range(m.range(at: i), in: s) else { return nil }
            return String(s[r])
        }
        return Match(range: Range(m.range, in: s)!, groups: groups)
    }

    func test(_ s: String) -> Bool { firstMatch(in: s) != nil }

    /// preg_replace with a template ($1 / \1 back-references written as $1).
    func replace(_ s: String, with template: String, limit: Int = -1) -> String {
        guard limit != 0 else { return s }
        if limit < 0 {
            return regex.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s),
                                                  withTemplate: template)
        }
        var result = s
        var count = 0
        var searchStart = result.startIndex
        while count < limit, let m = regex.firstMatch(in: result, range: NSRange(searchStart..., in: result)) {
            let replacement = regex.replacementString(for: m, in: result, offset: 0, template: template)
            let r = Range(m.range, in: result)!
            let startOffset = result.distance(from: result.startIndex, to: r.lowerBound)
            result.replaceSubrange(r, with: replacement)
            searchStart = result.index(result.startIndex, offsetBy: startOffset + replacement.count)
            count += 1
        }
        return result
    }

    /// preg_replace_callback.
    func replace(_ s: String, using transform: (Match) -> String) -> String {
        var out = ""
        var last = s.startIndex
        for m in matches(in: s) {
            out += s[last..<m.range.lowerBound]
            out += transform(m)
            last = m.range.upperBound
        }
        out += s[last...]
        return out
    }
}
