/// One relay as the operator configured it. `description` never shows credentials.
public struct SMTPRelayConfiguration: Sendable, Hashable, CustomStringConvertible {
    public enum StartTLSMode: String, Sendable, Hashable, CaseIterable {
        /// Fail unless the server offers STARTTLS and the handshake (verified) succeeds.
        case required
        /// Use STARTTLS when offered; a failed verification still fails the connection.
        case opportunistic
        /// Never send STARTTLS.
        case off
    }

    /// The operator's name for the relay; every error and log line carries it.
    public var name: String
    public var host: String
    public var port: Int
    /// TLS from the first byte (`smtps://`, port 465).
    public var implicitTLS: Bool
    public var startTLS: StartTLSMode
    /// PEM file of CA certificates to trust instead of the system's.
    public var tlsCAFile: String?
    /// False accepts any certificate: for lab relays only, and a warning is logged on connect.
    public var tlsVerify: Bool
    public var username: String?
    /// The password, or with `authMechanism` XOAUTH2 the OAuth 2 access token.
    public var password: String?
    /// The SASL mechanism to use (URL `?auth=`); nil picks PLAIN, LOGIN or CRAM-MD5 as offered.
    public var authMechanism: SMTPAuthMechanism?
    /// The name sent in EHLO/HELO.
    public var heloName: String
    /// QUIT and reconnect after this many messages on one connection; nil means no limit.
    public var messagesPerConnection: Int?
    public var timeouts: SMTPTimeouts

    public init(
        name: String? = nil, host: String, port: Int = 25, implicitTLS: Bool = false,
        startTLS: StartTLSMode = .opportunistic, tlsCAFile: String? = nil, tlsVerify: Bool = true,
        username: String? = nil, password: String? = nil, authMechanism: SMTPAuthMechanism? = nil, heloName: String = "localhost",
        messagesPerConnection: Int? = nil, timeouts: SMTPTimeouts = SMTPTimeouts()
    ) {
        self.name = name ?? Self.endpoint(host: host, port: port)
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
        self.startTLS = implicitTLS ? .off : startTLS
        self.tlsCAFile = tlsCAFile
        self.tlsVerify = tlsVerify
        self.username = username
        self.password = password
        self.authMechanism = authMechanism
        self.heloName = heloName
        self.messagesPerConnection = messagesPerConnection
        self.timeouts = timeouts
    }

    /// `host:port` (IPv6 hosts in brackets), as errors print it.
    public var endpoint: String { Self.endpoint(host: host, port: port) }

    public var hasCredentials: Bool { username != nil && password != nil }

    public var description: String {
        var parts = ["\(name) (\(implicitTLS ? "smtps" : "smtp")://\(endpoint)"]
        if !implicitTLS { parts.append("starttls=\(startTLS.rawValue)") }
        if !tlsVerify { parts.append("tls_verify=false") }
        if let tlsCAFile { parts.append("tls_ca_file=\(tlsCAFile)") }
        if hasCredentials { parts.append("auth=\(authMechanism?.rawValue.lowercased() ?? "configured")") }
        return parts.joined(separator: ", ") + ")"
    }

    static func endpoint(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

extension SMTPRelayConfiguration {
    /// Parses `smtp://[user[:password]@]host[:port][?key=value&…]` or `smtps://…`.
    /// User and password are percent-decoded. Query keys: `starttls` (required|opportunistic|off),
    /// `tls_verify` (true|false), `tls_ca_file`, `helo`, `messages_per_connection`, `auth`
    /// (plain|login|cram-md5|xoauth2: the SASL mechanism; with xoauth2 the password is the token).
    /// The default port is 25 for smtp and 465 for smtps; the default name is `host:port`.
    public init(url: String, name: String? = nil) throws(SMTPError) {
        func invalid(_ why: String) -> SMTPError {
            SMTPError(relay: name ?? "relay", endpoint: nil, kind: .invalidConfiguration("\(why) in relay URL \(Self.redacted(url))"))
        }
        guard let schemeEnd = url.firstRange(of: "://") else { throw invalid("missing scheme") }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "smtp" || scheme == "smtps" else { throw invalid("scheme must be smtp or smtps, not \(scheme)") }
        var rest = url[schemeEnd.upperBound...]
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                username = Self.percentDecoded(userInfo[..<colon])
                password = Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
            } else {
                username = Self.percentDecoded(userInfo)
            }
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid("unclosed IPv6 bracket") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw invalid("unexpected text after host") }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { throw invalid("missing host") }
        let implicitTLS = scheme == "smtps"
        var port = implicitTLS ? 465 : 25
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else { throw invalid("bad port \"\(portText)\"") }
            port = p
        }
        self.init(name: name, host: String(host), port: port, implicitTLS: implicitTLS,
                  username: username, password: password)
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            let key = String(kv[0]).lowercased()
            let value = kv.count > 1 ? Self.percentDecoded(kv[1]) : ""
            switch key {
            case "starttls":
                guard let mode = StartTLSMode(rawValue: value.lowercased()) else {
                    throw invalid("starttls must be required, opportunistic or off, not \"\(value)\"")
                }
                if !implicitTLS { startTLS = mode }
            case "tls_verify":
                guard let flag = Bool(value.lowercased()) else { throw invalid("tls_verify must be true or false") }
                tlsVerify = flag
            case "tls_ca_file": tlsCAFile = value
            case "helo": heloName = value
            case "auth":
                guard let mechanism = SMTPAuthMechanism(configured: value) else {
                    throw invalid("auth must be plain, login, cram-md5 or xoauth2, not \"\(value)\"")
                }
                authMechanism = mechanism
            case "messages_per_connection":
                guard let n = Int(value), n > 0 else { throw invalid("messages_per_connection must be a positive integer") }
                messagesPerConnection = n
            default: throw invalid("unknown parameter \"\(key)\"")
            }
        }
    }

    private static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://"),
              let at = url[schemeEnd.upperBound...].split(separator: "/", maxSplits: 1).first?.lastIndex(of: "@")
        else { return url }
        return String(url[..<schemeEnd.upperBound]) + "***@" + url[url.index(after: at)...]
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
