import Foundation

// PHPList's cleanUrl() and the parse_url/parseQueryString pieces it relies on: it decides which URL a tracked
// link is filed under in phplist_linktrack_forward (personal `uid=` parameters removed).
enum CleanURL {
    /// cleanUrl($url, $disallowed): untouched but HTML-decoded unless a disallowed `name=` occurs; otherwise
    /// rebuilt from its parts without the disallowed query parameters (values url-decoded, as PHPList does).
    static func clean(_ url: String, disallowed: [String] = ["PHPSESSID"]) -> String {
        guard disallowed.contains(where: { PHPString.contains(url, $0 + "=") }) else {
            return PHPString.htmlspecialcharsDecode(url)
        }
        let p = parse(url)
        var params: [(String, String)] = []
        if let q = p.query, !q.isEmpty {
            if PHPString.foundAfterStart(q, "&amp;") {
                for pair in q.components(separatedBy: "&amp;") {
                    let kv = pair.components(separatedBy: "=")
                    params.append((kv[0], kv.count > 1 ? kv[1] : ""))
                }
            } else {
                for pair in q.components(separatedBy: "&") {
                    let kv = pair.components(separatedBy: "=")
                    if kv.count > 1 {
                        params.append((urldecode(kv[0]), urldecode(kv[1])))
                    } else {
                        params.append((pair, ""))
                    }
                }
            }
        }
        // PHP arrays keep one value per key (the last), at the key's first position.
        var order: [String] = []
        var values: [String: String] = [:]
        for (k, v) in params {
            if values[k] == nil { order.append(k) }
            values[k] = v
        }
        var uri = ""
        if let scheme = p.scheme, !scheme.isEmpty {
            uri += scheme + ":" + (scheme.lowercased() == "mailto" ? "" : "//")
        }
        if let user = p.user, !user.isEmpty {
            uri += user + ((p.pass ?? "").isEmpty ? "" : ":" + p.pass!) + "@"
        }
        uri += p.host ?? ""
        if let port = p.port, !port.isEmpty { uri += ":" + port }
        uri += p.path ?? ""
        var query = ""
        for k in order where !disallowed.contains(k) {
            let v = values[k] ?? ""
            query += k + (v != "" ? "=" + v + "&" : "&")
        }
        if !query.isEmpty { query.removeLast() }
        if !query.isEmpty { uri += "?" + query }
        if let f = p.fragment, !f.isEmpty { uri += "#" + f }
        return uri
    }

    struct Parts {
        var scheme: String?
        var user: String?
        var pass: String?
        var host: String?
        var port: String?
        var path: String?
        var query: String?
        var fragment: String?
    }

    static func parse(_ url: String) -> Parts {
        var p = Parts()
        var rest = Substring(url)
        if let hash = rest.firstIndex(of: "#") {
            p.fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let q = rest.firstIndex(of: "?") {
            p.query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        if let range = rest.range(of: "://") {
            p.scheme = String(rest[..<range.lowerBound])
            var authorityAndPath = rest[range.upperBound...]
            let slash = authorityAndPath.firstIndex(of: "/") ?? authorityAndPath.endIndex
            var authority = authorityAndPath[..<slash]
            p.path = slash < authorityAndPath.endIndex ? String(authorityAndPath[slash...]) : nil
            authorityAndPath = authorityAndPath[..<slash]
            if let at = authority.lastIndex(of: "@") {
                let userinfo = authority[..<at]
                if let colon = userinfo.firstIndex(of: ":") {
                    p.user = String(userinfo[..<colon])
                    p.pass = String(userinfo[userinfo.index(after: colon)...])
                } else {
                    p.user = String(userinfo)
                }
                authority = authority[authority.index(after: at)...]
            }
            if !authority.hasPrefix("["), let colon = authority.lastIndex(of: ":"),
               authority[authority.index(after: colon)...].allSatisfy(\.isNumber) {
                p.port = String(authority[authority.index(after: colon)...])
                authority = authority[..<colon]
            }
            p.host = String(authority)
        } else if let colon = rest.firstIndex(of: ":"), rest[..<colon].allSatisfy({ $0.isLetter }) {
            p.scheme = String(rest[..<colon])
            p.path = String(rest[rest.index(after: colon)...])
        } else {
            p.path = String(rest)
        }
        return p
    }

    /// PHP urldecode: %XX and '+' as space.
    static func urldecode(_ s: String) -> String {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == 0x2B {
                out.append(0x20)
            } else if b[i] == 0x25, i + 2 < b.count, let v = UInt8(String(decoding: b[i + 1...i + 2], as: UTF8.self),
                                                                    radix: 16) {
                out.append(v)
                i += 2
            } else {
                out.append(b[i])
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// PHP urlencode: alphanumerics and -_. kept, space as '+', everything else %XX.
    static func urlencode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == 0x2D || b == 0x5F || b == 0x2E {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else if b == 0x20 {
                out += "+"
            } else {
                out += "%" + String(b >> 4, radix: 16, uppercase: true) + String(b & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
