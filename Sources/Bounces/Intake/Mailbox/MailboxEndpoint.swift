import Foundation

/// A network mailbox (`imap://`, `imaps://`, `pop3://`, `pop3s://`) parsed from its URL
/// `scheme://user:password@host:port/folder` (user and password percent-encoded).
public struct MailboxEndpoint: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case imap, pop3
    }

    /// For the plain schemes: upgrade with STARTTLS/STLS `required`, when offered (`opportunistic`), or never (`off`).
    public enum StartTLS: String, Sendable {
        case required, opportunistic, off
    }

    public var kind: Kind
    /// `imaps://` and `pop3s://`: TLS from the first byte.
    public var implicitTLS: Bool
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    /// IMAP folder (the URL path, default `INBOX`); unused by POP3.
    public var folder: String
    public var startTLS: StartTLS
    public var tlsVerify: Bool
    /// PEM file of extra trusted CAs (a private CA); nil = the system's roots.
    public var tlsCAFile: String?
    /// Seconds to wait for the server at each step.
    public var timeout: Double

    /// Parses `url`; `startTLS`, `tlsVerify` and `tlsCAFile` come from the mailbox's other settings.
    public init(url: String, startTLS: StartTLS = .opportunistic, tlsVerify: Bool = true,
                tlsCAFile: String? = nil, timeout: Double = 60) throws(MailboxError) {
        let redacted = Self.redact(url)
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw MailboxError(mailbox: redacted, .invalidURL("not a URL"))
        }
        switch scheme {
        case "imap": (kind, implicitTLS, port) = (.imap, false, 143)
        case "imaps": (kind, implicitTLS, port) = (.imap, true, 993)
        case "pop3", "pop": (kind, implicitTLS, port) = (.pop3, false, 110)
        case "pop3s", "pops": (kind, implicitTLS, port) = (.pop3, true, 995)
        default: throw MailboxError(mailbox: redacted, .invalidURL("scheme \(scheme) is not imap, imaps, pop3 or pop3s"))
        }
        guard let host = components.host, !host.isEmpty else {
            throw MailboxError(mailbox: redacted, .invalidURL("no host"))
        }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if let port = components.port { self.port = port }
        user = components.user ?? ""
        password = components.password ?? ""
        guard !user.isEmpty else { throw MailboxError(mailbox: redacted, .invalidURL("no user (scheme://user:password@host)")) }
        // POP3 sends both on a command line: a line break would smuggle in a command.
        guard !(user + password).unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw MailboxError(mailbox: redacted, .invalidURL("user or password contains a line break or NUL"))
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        folder = path.isEmpty ? "INBOX" : path
        self.startTLS = implicitTLS ? .off : startTLS
        self.tlsVerify = tlsVerify
        self.tlsCAFile = tlsCAFile
        self.timeout = timeout
    }

    /// The mailbox's name in logs, leases and the kept-message ledger: the URL without the password.
    public var key: String {
        let scheme = "\(kind.rawValue)\(implicitTLS ? "s" : "")"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let base = "\(scheme)://\(user)@\(hostPart):\(port)"
        return kind == .imap ? "\(base)/\(folder)" : base
    }

    /// `url` with any password replaced by `***`.
    public static func redact(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
