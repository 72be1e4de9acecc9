/// A parsed `scheme://user:password@host:port/path` as used for the database, relays and mailboxes.
///
/// Its `description` is the redacted form: the password never reaches a log line or an error message.
public struct ServiceURL: Sendable, Equatable, CustomStringConvertible {
    /// Lower-cased: "smtp", "smtps", "imap", "mysql", "mbox"…
    public var scheme: String
    /// Percent-decoded user, `nil` when the URL has none.
    public var user: String?
    /// Percent-decoded password, `nil` when the URL has none.
    public var password: String?
    /// Host name or address, IPv6 without brackets; empty for `mbox:///path`.
    public var host: String
    public var port: Int?
    /// Percent-decoded path including its leading slash; empty when absent.
    public var path: String

    /// Why a URL is not usable; never contains the password.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    public init(parsing text: String) throws(ParseError) {
        guard let separator = text.range(of: "://") else {
            throw ParseError(reason: "not a URL (expected scheme://…)")
        }
        let scheme = text[..<separator.lowerBound]
        guard let first = scheme.first, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }) else {
            throw ParseError(reason: "'\(scheme)' is not a URL scheme")
        }
        self.scheme = scheme.lowercased()
        var rest = text[separator.upperBound...]
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            rest = rest[..<query]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        path = try Self.decode(rest[authorityEnd...], what: "path")
        user = nil
        password = nil
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decode(userInfo[..<colon], what: "user name")
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], what: "password")
            } else {
                user = try Self.decode(userInfo, what: "user name")
            }
        }
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw ParseError(reason: "IPv6 address without closing ']'")
            }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw ParseError(reason: "unexpected '\(after)' after the IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw ParseError(reason: "port '\(portText)' is not a number from 1 to 65535")
            }
            port = number
        } else {
            port = nil
        }
    }

    /// The URL with the password replaced by `****`.
    public var redacted: String {
        var text = scheme + "://"
        if let user {
            text += Self.encodeUserInfo(user)
            if password != nil { text += ":****" }
            text += "@"
        }
        text += Self.bracketedHost(host)
        if let port { text += ":\(port)" }
        return text + path
    }

    public var description: String { redacted }

    /// The port, or the scheme's standard one (smtp 25, smtps 465, imap 143, imaps 993, pop3 110,
    /// pop3s 995, mysql 3306); `nil` for schemes without a port.
    public var effectivePort: Int? {
        port ?? Self.standardPorts[scheme]
    }

    static let standardPorts = ["smtp": 25, "smtps": 465, "imap": 143, "imaps": 993, "pop3": 110, "pop3s": 995,
                                "mysql": 3306, "mariadb": 3306]

    /// "host:port" for logs and default relay names.
    public var hostAndPort: String {
        Self.bracketedHost(host) + (effectivePort.map { ":\($0)" } ?? "")
    }

    // MARK: - Encoding helpers

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
    }

    static func percentEncode(_ text: String, keeping extra: Set<UInt8> = []) -> String {
        var result = ""
        for byte in text.utf8 {
            if isUnreserved(byte) || extra.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    /// Percent-encodes a user name or password for the `user:password@` part.
    public static func encodeUserInfo(_ text: String) -> String { percentEncode(text) }

    static func encodePathSegment(_ text: String) -> String { percentEncode(text) }

    /// Percent-encodes a file path, keeping its slashes.
    static func encodePath(_ text: String) -> String { percentEncode(text, keeping: [UInt8(ascii: "/")]) }

    static func bracketedHost(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }

    private static func decode(_ text: Substring, what: String) throws(ParseError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else {
                    throw ParseError(reason: "bad percent-encoding in the \(what)")
                }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
