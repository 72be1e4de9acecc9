/// PHPList 3.6.15's is_email() at its default EMAIL_ADDRESS_VALIDATION_LEVEL 3 (RFC 821 local part, labels
/// of letters/digits/single hyphens, top-level domain from the `internet_tlds` config value), including its
/// IDN handling: a non-ASCII domain goes through idn_to_ascii and one "@xn--" is dropped before matching.
/// The one validator the whole project uses.
public enum EmailAddressValidator {
    /// `tlds`: lowercase top-level domains (`internet_tlds` split on '|', see `tlds(fromConfig:)`); empty means
    /// PHPList's short built-in fallback list.
    public static func isValid(_ address: String, tlds: Set<String>) -> Bool {
        var email = address
        if email.unicodeScalars.contains(where: { !$0.isASCII }) {
            guard let at = email.lastIndex(of: "@") else { return false }
            let local = email[..<at]
            let domain = email[email.index(after: at)...]
            guard !local.isEmpty, !domain.isEmpty else { return false }
            guard let ascii = Punycode.domainToASCII(String(domain)) else { return false }
            email = local + "@" + ascii
        }
        email = PHPString.trim(email)
        // preg_replace('/@XN--/i', '@', $email): every occurrence.
        email = PHPString.ireplace(email, "@xn--", with: "@")

        let bytes = Array(email.utf8)
        guard bytes.filter({ $0 == 0x40 }).count == 1 else { return false }
        if email.hasPrefix("-") || email.hasPrefix(".") || email.contains("-@") || email.contains(".@")
            || email.hasPrefix("\\") { return false }

        let at = bytes.firstIndex(of: 0x40)!
        let local = Array(bytes[..<at])
        let domain = Array(bytes[(at + 1)...])
        let list = tlds.isEmpty ? fallbackTLDs : tlds
        return isLocalPart(local) && isDomainPart(domain, tlds: list)
    }

    /// The `internet_tlds` config value ("com|net|…") as a set.
    public static func tlds(fromConfig value: String) -> Set<String> {
        Set(value.lowercased().split(separator: "|").map(String.init).filter { !$0.isEmpty })
    }

    // MARK: RFC 821 local part: dot-string of ≤ 64 chars, or a quoted string of 1…62 chars

    private static func isUnescaped(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
            || Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(c)
    }

    private static func isEscapable(_ c: UInt8) -> Bool {
        (c >= 0x01 && c <= 0x09) || c == 0x0B || c == 0x0C || (c >= 0x0E && c <= 0x7F)
    }

    private static func isLocalPart(_ b: [UInt8]) -> Bool {
        guard !b.isEmpty else { return false }
        if b.first == 0x22 {
            guard b.count >= 3, b.last == 0x22 else { return false }
            var i = 1
            var count = 0
            while i < b.count - 1 {
                let c = b[i]
                if c == 0x5C {
                    guard i + 1 < b.count - 1, isEscapable(b[i + 1]) else { return false }
                    i += 2
                } else if (c >= 0x01 && c <= 0x09) || c == 0x0B || c == 0x0C || (c >= 0x0E && c <= 0x21)
                            || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7F) {
                    i += 1
                } else {
                    return false
                }
                count += 1
            }
            return count >= 1 && count <= 62
        }
        var i = 0
        var chars = 0
        var lastWasDot = true   // no leading dot
        while i < b.count {
            let c = b[i]
            if c == 0x2E {
                if lastWasDot { return false }
                lastWasDot = true
                i += 1
                continue
            }
            if c == 0x5C {
                guard i + 1 < b.count, isEscapable(b[i + 1]) else { return false }
                i += 2
            } else if isUnescaped(c) {
                i += 1
            } else {
                return false
            }
            chars += 1
            lastWasDot = false
        }
        return !lastWasDot && chars <= 64
    }

    // MARK: domain: labels [a-z0-9](-?[a-z0-9])* ending in a known TLD, or a bare dotted IPv4

    private static func isDomainPart(_ b: [UInt8], tlds: Set<String>) -> Bool {
        let labels = b.split(separator: 0x2E, omittingEmptySubsequences: false)
        if labels.count == 4, labels.allSatisfy(isOctet) { return true }
        guard labels.count >= 2 else { return false }
        for label in labels.dropLast() where !isLabel(label) { return false }
        let tld = String(decoding: labels.last!, as: UTF8.self).lowercased()
        return tlds.contains(tld)
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
    }

    private static func isLabel(_ l: ArraySlice<UInt8>) -> Bool {
        guard let first = l.first, let last = l.last, isAlnum(first), isAlnum(last) else { return false }
        var previousHyphen = false
        for c in l {
            if c == 0x2D {
                if previousHyphen { return false }
                previousHyphen = true
            } else if isAlnum(c) {
                previousHyphen = false
            } else {
                return false
            }
        }
        return true
    }

    /// ([0-9][0-9]?|[0-1][0-9][0-9]|[2][0-4][0-9]|[2][5][0-5])
    private static func isOctet(_ l: ArraySlice<UInt8>) -> Bool {
        guard (1...3).contains(l.count), l.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        if l.count < 3 { return true }
        let d = l.map { Int($0 - 0x30) }
        return d[0] <= 1 || (d[0] == 2 && d[1] <= 4) || (d[0] == 2 && d[1] == 5 && d[2] <= 5)
    }

    /// is_email's own list, used when `internet_tlds` is empty.
    static let fallbackTLDs: Set<String> = Set(("ac|ad|ae|aero|af|ag|ai|al|am|an|ao|aq|ar|arpa|as|asia|at|au|aw|az|ba|bb|bd|"
        + "be|bf|bg|bh|bi|biz|bj|bm|bn|bo|br|bs|bt|bv|bw|by|bz|ca|cat|cc|cd|cf|cg|ch|ci|ck|cl|cm|cn|co|com|coop|cr|"
        + "cs|cu|cv|cx|cy|cz|de|dev|dj|dk|dm|do|dz|ec|edu|ee|eg|eh|er|es|et|eu|fi|fj|fk|fm|fo|fr|ga|gb|gd|ge|gf|gg|"
        + "gh|gi|gl|gm|gn|gov|gp|gq|gr|gs|gt|gu|gw|gy|hk|hm|hn|home|hr|ht|hu|id|ie|il|im|in|info|int|io|iq|ir|is|"
        + "it|jm|je|jo|jp|ke|kg|kh|ki|km|kn|kp|kr|kw|ky|kz|la|lb|lc|li|lk|lr|loc|ls|lt|lu|lv|ly|ma|mc|md|me|mg|mh|"
        + "mil|mk|ml|mm|mn|mo|mp|mq|mr|ms|mt|mu|museum|mv|mw|mx|my|mz|na|name|nc|ne|net|nf|ng|ni|nl|no|np|nr|nt|"
        + "nu|nz|om|org|pa|pe|pf|pg|ph|pk|pl|pm|pn|pr|pro|ps|pt|pw|py|qa|re|ro|ru|rw|sa|sb|sc|sd|se|sg|sh|si|sj|sk|"
        + "sl|sm|sn|so|sr|st|su|sv|sy|sz|tc|td|tel|tf|tg|th|tj|tk|tm|tn|to|tp|tr|travel|tt|tv|tw|tz|ua|ug|uk|um|us|"
        + "uy|uz|va|vc|ve|vg|vi|vn|vu|wf|ws|ye|yt|yu|za|zm|zw").split(separator: "|").map(String.init))
}

/// RFC 3492 Punycode for idn_to_ascii on the domain (lowercased; labels with non-ASCII get "xn--").
enum Punycode {
    static func domainToASCII(_ domain: String) -> String? {
        var labels: [String] = []
        for label in domain.lowercased().split(separator: ".", omittingEmptySubsequences: false) {
            if label.unicodeScalars.allSatisfy(\.isASCII) {
                labels.append(String(label))
            } else {
                guard let encoded = encode(Array(label.unicodeScalars.map(\.value))) else { return nil }
                labels.append("xn--" + encoded)
            }
        }
        return labels.joined(separator: ".")
    }

    private static func encode(_ input: [UInt32]) -> String? {
        let base: UInt32 = 36, tMin: UInt32 = 1, tMax: UInt32 = 26, skew: UInt32 = 38, damp: UInt32 = 700
        var n: UInt32 = 128
        var delta: UInt32 = 0
        var bias: UInt32 = 72
        var output: [UInt8] = input.filter { $0 < 128 }.map { UInt8($0) }
        let b = UInt32(output.count)
        var h = b
        if b > 0 { output.append(0x2D) }
        func digit(_ d: UInt32) -> UInt8 { d < 26 ? UInt8(d + 97) : UInt8(d - 26 + 48) }
        func adapt(_ delta: UInt32, _ numPoints: UInt32, _ first: Bool) -> UInt32 {
            var delta = first ? delta / damp : delta / 2
            delta += delta / numPoints
            var k: UInt32 = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }
        while h < UInt32(input.count) {
            guard let m = input.filter({ $0 >= n }).min() else { return nil }
            let (mul, o1) = (m - n).multipliedReportingOverflow(by: h + 1)
            guard !o1 else { return nil }
            delta += mul
            n = m
            for c in input {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, h + 1, h == b)
                    delta = 0
                    h += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
