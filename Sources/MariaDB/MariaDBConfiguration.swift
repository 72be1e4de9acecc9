import Foundation

/// Where and how to reach a MariaDB/MySQL server, usually parsed from a URL such as
/// `mysql://user:pass@host:3306/db?socket=/run/mysqld/mysqld.sock&tls=required&ca=/etc/ca.pem`.
public struct MariaDBConfiguration: Sendable, Equatable {
    /// TLS policy for the connection to the server.
    public enum TLSMode: String, Sendable {
        /// Fail unless the connection is encrypted (the server certificate is verified when `caFile` is set).
        case required
        /// Try TLS; fall back to a plain connection when the server does not offer it.
        case preferred
        /// Plain connection (the usual case for a server on the same machine or a unix socket).
        case off
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String?
    public var socket: String?
    public var tls: TLSMode
    public var caFile: String?
    /// Seconds to wait for the TCP connection and handshake.
    public var connectTimeout: Int

    public init(
        host: String = "127.0.0.1",
        port: Int = 3306,
        user: String = "root",
        password: String? = nil,
        database: String? = nil,
        socket: String? = nil,
        tls: TLSMode = .off,
        caFile: String? = nil,
        connectTimeout: Int = 10
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.socket = socket
        self.tls = tls
        self.caFile = caFile
        self.connectTimeout = connectTimeout
    }

    /// Parses `mysql://` (or `mariadb://`) URLs. User and password are percent-decoded.
    public init(url: String) throws(MariaDBError) {
        func fail(_ reason: String) -> MariaDBError {
            .invalidURL(Self.redact(url), reason: reason)
        }
        guard let components = URLComponents(string: url) else {
            throw fail("not a URL; expected mysql://user:password@host:port/database")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "mysql" || scheme == "mariadb" else {
            throw fail("the scheme must be mysql:// or mariadb://")
        }
        var configuration = MariaDBConfiguration()
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            query[item.name.lowercased()] = item.value ?? ""
        }
        let knownKeys: Set<String> = ["socket", "tls", "ca", "connect_timeout"]
        if let unknown = query.keys.sorted().first(where: { !knownKeys.contains($0) }) {
            throw fail("unknown parameter '\(unknown)' (known: socket, tls, ca, connect_timeout)")
        }
        configuration.socket = query["socket"].flatMap { $0.isEmpty ? nil : $0 }
        let host = components.percentEncodedHost.flatMap { $0.removingPercentEncoding } ?? ""
        if host.isEmpty && configuration.socket == nil {
            throw fail("no host (and no ?socket=)")
        }
        configuration.host = host.isEmpty ? "localhost" : host
        if let port = components.port {
            guard (1...65535).contains(port) else { throw fail("port \(port) is out of range") }
            configuration.port = port
        } else if let authority = url.split(separator: "/", maxSplits: 3).dropFirst().first,
                  authority.hasSuffix(":") {
            throw fail("empty port")
        }
        if let user = components.percentEncodedUser {
            guard let decoded = user.removingPercentEncoding, !decoded.isEmpty else {
                throw fail("bad percent-encoding in the user name")
            }
            configuration.user = decoded
        }
        if let password = components.percentEncodedPassword {
            guard let decoded = password.removingPercentEncoding else {
                throw fail("bad percent-encoding in the password")
            }
            configuration.password = decoded
        }
        let path = components.percentEncodedPath
        if !path.isEmpty && path != "/" {
            let name = String(path.dropFirst()).removingPercentEncoding ?? ""
            guard !name.isEmpty, !name.contains("/") else {
                throw fail("the path must be a single database name")
            }
            configuration.database = name
        }
        if let tls = query["tls"] {
            guard let mode = TLSMode(rawValue: tls.lowercased()) else {
                throw fail("tls must be required, preferred or off (got '\(tls)')")
            }
            configuration.tls = mode
        }
        configuration.caFile = query["ca"].flatMap { $0.isEmpty ? nil : $0 }
        if let timeout = query["connect_timeout"] {
            guard let seconds = Int(timeout), seconds > 0 else {
                throw fail("connect_timeout must be a positive number of seconds")
            }
            configuration.connectTimeout = seconds
        }
        self = configuration
    }

    /// The URL without the password, safe for logs and error messages.
    public var redacted: String {
        var text = "mysql://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)"
        if let database { text += "/\(database)" }
        if let socket { text += "?socket=\(socket)" }
        return text
    }

    /// The URL with the password, for handing to other components (never log it).
    public var url: String {
        let allowed = CharacterSet.urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/"))
        var text = "mysql://" + (user.addingPercentEncoding(withAllowedCharacters: allowed) ?? user)
        if let password {
            text += ":" + (password.addingPercentEncoding(withAllowedCharacters: allowed) ?? password)
        }
        text += "@\(host.contains(":") ? "[\(host)]" : host):\(port)"
        if let database { text += "/\(database)" }
        var query: [String] = []
        if let socket { query.append("socket=\(socket)") }
        if tls != .off { query.append("tls=\(tls.rawValue)") }
        if let caFile { query.append("ca=\(caFile)") }
        if connectTimeout != 10 { query.append("connect_timeout=\(connectTimeout)") }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    /// Removes a password from a URL that failed to parse, so the error can be logged.
    static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return url }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<schemeEnd.upperBound]) + userInfo[..<colon] + ":***" + rest[at...]
    }
}
