// PHPMailer 6's header value encoding (encodeHeader, encodeQ, base64EncodeWrapMB, addrFormat), so Subject,
// From names and custom headers come out as PHPList writes them: unchanged when ASCII and short, RFC 2047
// Q-encoding when under a third of the bytes need it, B-encoding (UTF-8 aware chunks) otherwise.
enum HeaderEncoding {
    private static let maxLineLength = 998

    enum Position { case text, phrase }

    /// PHPMailer::secureHeader: trim and drop CR/LF (header injection guard).
    static func secure(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 > 0x20 }) { return s }
        return PHPString.trim(String(s.unicodeScalars.filter { $0 != "\r" && $0 != "\n" }))
    }

    static func encode(_ str: String, position: Position = .text) -> String {
        // Fast path for the common case: printable ASCII text well under the line limit.
        if position == .text, str.utf8.count < 900, str.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return str }
        let bytes = Array(str.utf8)
        var matchcount = 0
        switch position {
        case .phrase:
            if !bytes.contains(where: { $0 >= 0x80 }) {
                // addcslashes($str, "\0..\37\177\\\"")
                var escaped = ""
                var changed = false
                for b in bytes {
                    if b < 0x20 || b == 0x7F || b == 0x5C || b == 0x22 {
                        changed = true
                        switch b {
                        case 0x0A: escaped += "\\n"
                        case 0x09: escaped += "\\t"
                        case 0x0D: escaped += "\\r"
                        case 0x5C: escaped += "\\\\"
                        case 0x22: escaped += "\\\""
                        default: escaped += "\\" + String(b, radix: 8)
                        }
                    } else {
                        escaped.unicodeScalars.append(Unicode.Scalar(b))
                    }
                }
                let atomOnly = bytes.allSatisfy { b in
                    (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
                        || Array("!#$%&'*+/=?^_`{|}~ -".utf8).contains(b)
                }
                if !changed && atomOnly { return escaped }
                return "\"\(escaped)\""
            }
            matchcount = bytes.filter { !($0 == 0x20 || $0 == 0x21 || ($0 >= 0x23 && $0 <= 0x5B)
                || ($0 >= 0x5D && $0 <= 0x7E)) }.count
        case .text:
            matchcount = bytes.filter { $0 <= 0x08 || $0 == 0x0B || $0 == 0x0C || ($0 >= 0x0E && $0 <= 0x1F)
                || $0 >= 0x7F }.count
        }
        let has8bit = bytes.contains { $0 >= 0x80 }
        let charset = has8bit ? "UTF-8" : "us-ascii"
        let maxlen = maxLineLength - (8 + charset.utf8.count)
        let encoding: Character?
        if Double(matchcount) > Double(bytes.count) / 3 {
            encoding = "B"
        } else if matchcount > 0 {
            encoding = "Q"
        } else if bytes.count > maxlen {
            encoding = "Q"
        } else {
            return str
        }
        var lines: [String]
        if encoding == "B" {
            if str.unicodeScalars.count < bytes.count {
                lines = base64WrapMB(str)
            } else {
                let b64 = base64(bytes)
                let chunk = maxlen - maxlen % 4
                lines = stride(from: 0, to: b64.count, by: chunk).map {
                    String(decoding: b64[$0..<min(b64.count, $0 + chunk)], as: UTF8.self)
                }
            }
        } else {
            let q = encodeQ(str, position: position)
            lines = wrapQ(q, length: maxlen)
        }
        let tag = "=?\(charset)?\(encoding!)?"
        return lines.map { " \(tag)\($0)?=" }.joined(separator: "\r\n")
            .trimmingLeadingSpace()
    }

    /// "name <address>" or the bare address, as PHPMailer::addrFormat.
    static func address(_ email: String, name: String) -> String {
        if name.isEmpty { return secure(email) }
        return encode(secure(name), position: .phrase) + " <" + secure(email) + ">"
    }

    private static func encodeQ(_ str: String, position: Position) -> String {
        var out = ""
        for b in str.utf8 where b != 0x0D && b != 0x0A {
            let encode: Bool
            switch position {
            case .phrase:
                let ok = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
                    || b == 0x21 || b == 0x2A || b == 0x2B || b == 0x2F || b == 0x20 || b == 0x2D
                encode = !ok
            case .text:
                encode = b <= 0x09 || b == 0x0B || b == 0x0C || (b >= 0x0E && b <= 0x1F) || b == 0x3D || b == 0x3F
                    || b == 0x5F || b >= 0x7F
            }
            if encode {
                out += "=" + String(b, radix: 16, uppercase: true).leftPadded(to: 2)
            } else if b == 0x20 {
                out += "_"
            } else {
                out.unicodeScalars.append(Unicode.Scalar(b))
            }
        }
        return out
    }

    /// wrapText($encoded, $maxlen, true) on a Q-encoded word (no spaces), split at UTF-8 character boundaries.
    private static func wrapQ(_ q: String, length: Int) -> [String] {
        var bytes = Array(q.utf8)
        guard bytes.count > length else { return [q] }
        var lines: [String] = []
        while !bytes.isEmpty {
            if bytes.count <= length {
                lines.append(String(decoding: bytes, as: UTF8.self))
                break
            }
            let cut = utf8CharBoundary(bytes, length)
            lines.append(String(decoding: bytes[0..<cut], as: UTF8.self))
            bytes.removeFirst(cut)
        }
        return lines
    }

    private static func utf8CharBoundary(_ text: [UInt8], _ maxLength: Int) -> Int {
        var maxLength = maxLength
        var lookBack = 3
        while true {
            let from = max(0, maxLength - lookBack)
            let chunk = text[from..<min(text.count, from + lookBack)]
            guard let eq = chunk.firstIndex(of: 0x3D) else { return maxLength }
            let pos = eq - from
            let hexStart = eq + 1
            let dec = hexStart + 2 <= text.count
                ? Int(String(decoding: text[hexStart..<hexStart + 2], as: UTF8.self), radix: 16) ?? 0 : 0
            if dec < 128 {
                if pos > 0 { maxLength -= lookBack - pos }
                return maxLength
            } else if dec >= 192 {
                maxLength -= lookBack - pos
                return maxLength
            } else {
                lookBack += 3
            }
        }
    }

    /// PHPMailer::base64EncodeWrapMB: chunks of whole characters whose base64 fits a 75-column encoded word.
    private static func base64WrapMB(_ str: String) -> [String] {
        let scalars = Array(str.unicodeScalars)
        let length = 75 - "=?UTF-8?B?".count - 2
        let ratio = Double(scalars.count) / Double(str.utf8.count)
        let avgLength = Int((Double(length) * ratio * 0.75).rounded(.down))
        var out: [String] = []
        var i = 0
        while i < scalars.count {
            var lookBack = 0
            var offset = 0
            var chunk: [UInt8] = []
            repeat {
                offset = max(1, avgLength - lookBack)
                var s = String.UnicodeScalarView()
                s.append(contentsOf: scalars[i..<min(scalars.count, i + offset)])
                chunk = base64(Array(String(s).utf8))
                lookBack += 1
            } while chunk.count > length && offset > 1
            out.append(String(decoding: chunk, as: UTF8.self))
            i += offset
        }
        return out
    }

    static func base64(_ data: [UInt8]) -> [UInt8] {
        var lines = MailEncoding.base64Lines(data)
        lines.removeAll { $0 == 0x0D || $0 == 0x0A }
        return lines
    }
}

extension String {
    fileprivate func leftPadded(to n: Int) -> String {
        count >= n ? self : String(repeating: "0", count: n - count) + self
    }

    fileprivate func trimmingLeadingSpace() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        return String(s)
    }
}
