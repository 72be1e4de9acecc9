/// PHPList 3.6.15's identification of a bounce from its decoded body (processbounces.php findMessageId /
/// findUserID), reproduced on bytes:
/// - message id: first match of `/(?:X-MessageId|X-Message): (.*)\r\n/iU`, trimmed;
/// - subscriber token: first match of `/(?:X-ListMember|X-User): (.*)\r\n/iU`, trimmed;
/// - fallback addresses: every match of `/[._a-zA-Z0-9-]+@[.a-zA-Z0-9-]+/`, in order.
/// The header can sit anywhere in the body (the returned original's headers), any case, and must end in CRLF.
public enum PHPListHeaderSearch {
    public static func messageID(in body: [UInt8]) -> String? {
        value(of: ["x-messageid: ", "x-message: "], in: body)
    }

    public static func subscriberToken(in body: [UInt8]) -> String? {
        value(of: ["x-listmember: ", "x-user: "], in: body)
    }

    /// `(?:A|B): (.*)\r\n` with the U flag: at the leftmost position where A or B (tried in that order)
    /// starts and is followed by text up to a CRLF without a bare LF in between.
    static func value(of names: [String], in body: [UInt8]) -> String? {
        let needles = names.map { Array($0.utf8) }
        let firstBytes = Set(needles.compactMap(\.first))
        var index = 0
        while index < body.count {
            if firstBytes.contains(ByteScan.lower(body[index])) {
                for needle in needles where matches(needle, in: body, at: index) {
                    let start = index + needle.count
                    var end = start
                    var found = false
                    while end < body.count {
                        if body[end] == 0x0A { break }
                        if body[end] == 0x0D, end + 1 < body.count, body[end + 1] == 0x0A { found = true; break }
                        end += 1
                    }
                    if found { return phpTrim(body[start..<end]) }
                }
            }
            index += 1
        }
        return nil
    }

    static func matches(_ needle: [UInt8], in body: [UInt8], at index: Int) -> Bool {
        guard index + needle.count <= body.count else { return false }
        for offset in 0..<needle.count where ByteScan.lower(body[index + offset]) != needle[offset] { return false }
        return true
    }

    /// PHP's trim(): " \t\n\r\0\x0B" from both ends.
    static func phpTrim(_ bytes: ArraySlice<UInt8>) -> String {
        let blanks: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D, 0x00, 0x0B]
        var slice = bytes
        while let first = slice.first, blanks.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, blanks.contains(last) { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }

    /// Every non-overlapping match of `[._a-zA-Z0-9-]+@[.a-zA-Z0-9-]+`, leftmost first, greedy.
    public static func addressCandidates(in body: [UInt8], limit: Int = 500) -> [String] {
        func isLocal(_ b: UInt8) -> Bool { isDomain(b) || b == 0x5F }
        func isDomain(_ b: UInt8) -> Bool {
            (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 0x2E || b == 0x2D
        }
        var found: [String] = []
        var index = 0
        while index < body.count, found.count < limit {
            guard isLocal(body[index]) else { index += 1; continue }
            var runEnd = index
            while runEnd < body.count, isLocal(body[runEnd]) { runEnd += 1 }
            if runEnd + 1 < body.count, body[runEnd] == 0x40, isDomain(body[runEnd + 1]) {
                var end = runEnd + 1
                while end < body.count, isDomain(body[end]) { end += 1 }
                found.append(String(decoding: body[index..<end], as: UTF8.self))
                index = end
            } else {
                index = runEnd + 1
            }
        }
        return found
    }

    /// PHP's `!empty()` on a string: "" and "0" are empty.
    static func isPHPEmpty(_ text: String?) -> Bool {
        guard let text else { return true }
        return text.isEmpty || text == "0"
    }

    /// PHP's `sprintf('%d', $string)`: leading whitespace, optional sign, leading digits; 0 otherwise.
    static func phpInt(_ text: String) -> Int {
        var scalars = Substring(text).drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" }
        var sign = 1
        if let first = scalars.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            scalars = scalars.dropFirst()
        }
        var value = 0
        for character in scalars {
            guard let digit = character.wholeNumberValue, character.isASCII else { break }
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return sign > 0 ? Int(Int32.max) : Int(Int32.min) }
            value = product + digit
        }
        return max(Int(Int32.min), min(Int(Int32.max), sign * value))
    }
}
