import Foundation
import PHPList

/// PHPList's matchBounceRules: rules in order; each regex has its spaces replaced by `\s+`, then is tried
/// as `'/'.preg_quote($pattern).'/iUm'` (a literal search for the transformed text) and, failing that, as
/// `'/'.$pattern.'/iUm'`. A pattern PHP would reject (an unescaped `/` ends it early, a trailing `\`,
/// invalid syntax) matches nothing, as PHP's silenced preg_match returns false. The `U` flag does not
/// change whether a pattern matches, so ICU's regular expressions (case-insensitive, multi-line) decide.
public struct BounceRuleMatcher: Sendable {
    struct Compiled: @unchecked Sendable {
        // @unchecked: NSRegularExpression is immutable after creation and documented thread-safe for matching.
        let rule: BounceRule
        let literal: [UInt8]?
        let regex: NSRegularExpression?
    }

    let compiled: [Compiled]

    public init(rules: [BounceRule]) {
        compiled = rules.map { rule in
            let pattern = rule.regex.replacingOccurrences(of: " ", with: "\\s+")
            let bytes = Array(pattern.utf8)
            // preg_quote leaves '/' alone, so a '/' always ends the quoted pattern early: invalid.
            let literal: [UInt8]? = bytes.contains(UInt8(ascii: "/")) || bytes.contains(0) || bytes.isEmpty
                ? nil : bytes.map(ByteScan.lower)
            let regex = Self.delimitable(bytes)
                ? try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .anchorsMatchLines]) : nil
            return Compiled(rule: rule, literal: literal, regex: regex)
        }
    }

    public var isEmpty: Bool { compiled.isEmpty }

    /// The first rule matching `header + "\n\n" + data`, as processbounces passes it.
    public func firstMatch(header: String, data: [UInt8]) -> BounceRule? {
        var bytes = Array(header.utf8)
        bytes += [0x0A, 0x0A]
        bytes += data
        return firstMatch(in: bytes)
    }

    public func firstMatch(in bytes: [UInt8]) -> BounceRule? {
        var text: String?
        for candidate in compiled {
            if let literal = candidate.literal, ByteScan.firstCaseInsensitive(literal, in: bytes[...]) != nil {
                return candidate.rule
            }
            if let regex = candidate.regex {
                if text == nil { text = String(decoding: bytes, as: UTF8.self) }
                let subject = text!
                if regex.firstMatch(in: subject, options: [], range: NSRange(subject.startIndex..., in: subject)) != nil {
                    return candidate.rule
                }
            }
        }
        return nil
    }

    /// False when PHP would find the closing '/' before the end (an unescaped '/') or none at all
    /// (the pattern ends in an odd run of backslashes, escaping the delimiter).
    static func delimitable(_ pattern: [UInt8]) -> Bool {
        var index = 0
        while index < pattern.count {
            if pattern[index] == UInt8(ascii: "\\") {
                if index + 1 >= pattern.count { return false }
                index += 2
                continue
            }
            if pattern[index] == UInt8(ascii: "/") { return false }
            index += 1
        }
        return !pattern.isEmpty
    }
}
