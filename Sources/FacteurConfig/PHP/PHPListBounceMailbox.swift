import Foundation

/// Where PHPList fetches bounces: `$bounce_protocol = 'pop'` (any c-client mailbox) or `'mbox'` (a local file).
public enum PHPListBounceMailbox: Sendable, Equatable {
    case remote(PHPListRemoteMailbox)
    case mbox(path: String)
}

/// A POP3 or IMAP bounce mailbox as PHPList's `imap_open("{host:port/flags}folder")` sees it.
public struct PHPListRemoteMailbox: Sendable, Equatable {
    public var host: String
    public var port: PHPListMailboxPort
    public var user: String
    public var password: String
    /// `$bounce_mailbox_name`, split at commas; POP3 has a single mailbox whatever the name.
    public var folders: [String]
}

/// A c-client port specification such as "110/pop3/notls" or "995/pop3/ssl/novalidate-cert".
public struct PHPListMailboxPort: Sendable, Equatable {
    public enum Service: String, Sendable { case pop3, imap }
    public enum Encryption: String, Sendable {
        /// `/ssl`: TLS from the first byte.
        case implicitTLS
        /// `/tls`: STARTTLS, failing without it.
        case startTLSRequired
        /// No flag: c-client uses STARTTLS when the server offers it.
        case startTLSOpportunistic
        /// `/notls`: never STARTTLS.
        case none
    }

    /// The number before the first slash; `nil` means the service's standard port.
    public var port: Int?
    /// The flags after it, lower-cased, in order.
    public var flags: [String]

    public init(spec: String) {
        let parts = spec.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }
        if let first = parts.first, let number = Int(first) {
            port = number
            flags = parts.dropFirst().map { $0.lowercased() }
        } else {
            port = nil
            flags = parts.map { $0.lowercased() }
        }
    }

    /// `/pop3` selects POP3; c-client's default (no service flag) is IMAP.
    public var service: Service {
        flags.contains("pop3") ? .pop3 : .imap
    }

    public var encryption: Encryption {
        if flags.contains("ssl") { return .implicitTLS }
        if flags.contains("notls") { return .none }
        if flags.contains("tls") { return .startTLSRequired }
        return .startTLSOpportunistic
    }

    /// `/novalidate-cert` turns certificate checks off.
    public var validatesCertificate: Bool { !flags.contains("novalidate-cert") }
}
