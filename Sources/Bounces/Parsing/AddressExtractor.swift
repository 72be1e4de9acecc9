/// Finds e-mail addresses in free text and header values. Deliberately simple (addr-spec without
/// quoted local parts): bounce texts quote addresses as "<a@b>", "a@b:", "\"a@b\"", "a@b...".
enum AddressExtractor {
    static func addresses(in text: String) -> [String] {
        var found: [String] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "@" else { index += 1; continue }
            var start = index
            while start > 0, isLocalPartCharacter(scalars[start - 1]) { start -= 1 }
            while start < index, scalars[start] == "." { start += 1 }
            var end = index + 1
            while end < scalars.count, isDomainCharacter(scalars[end]) { end += 1 }
            while end > index + 1, scalars[end - 1] == "." || scalars[end - 1] == "-" { end -= 1 }
            let local = String(String.UnicodeScalarView(scalars[start..<index]))
            let domain = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
            if !local.isEmpty, domain.contains("."), !domain.hasPrefix(".") {
                found.append("\(local)@\(domain)")
            }
            index = max(end, index + 1)
        }
        return found
    }

    /// The address inside a header-style value: "Name <a@b>" / "rfc822; a@b" / "a@b".
    static func firstAddress(in value: String) -> String? {
        addresses(in: value).first
    }

    private static func isLocalPartCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        case ".", "_", "-", "+", "=", "!", "#", "$", "%", "&", "'", "*", "/", "?", "^", "`", "{", "|", "}", "~": return true
        default: return false
        }
    }

    private static func isDomainCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "-": return true
        default: return false
        }
    }
}
