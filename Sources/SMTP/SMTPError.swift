/// Why a connection or a send failed, naming the relay so an operator can act on it.
/// Never carries credentials.
public struct SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case invalidConfiguration(String)
        case connectFailed(String)
        case greetingRejected(SMTPReply)
        case heloRejected(SMTPReply)
        case startTLSRequiredButNotOffered
        case startTLSRejected(SMTPReply)
        case tlsFailed(String)
        /// Bytes that arrived with the 220 to STARTTLS, before TLS: possible injection.
        case dataBeforeTLS
        case authNotOffered
        /// No mechanism in common; `wanted` is the configured one, nil when chosen automatically.
        case authMechanismUnsupported(offered: [String], wanted: SMTPAuthMechanism?)
        case authFailed(SMTPReply)
        /// The server closed the connection (421) while we waited at `stage`.
        case serviceClosing(SMTPReply, stage: SMTPStage)
        case timeout(stage: SMTPStage, seconds: Double)
        case connectionClosed(stage: SMTPStage)
        case protocolError(String)
        case unexpectedReply(SMTPReply, stage: SMTPStage)
        /// The message has a line longer than 998 octets (RFC 5322 §2.1.1) at 1-based `line`.
        case lineTooLong(line: Int, length: Int)
        case messageTooLarge(size: Int, limit: Int)
        case smtpUTF8Required
        case noRecipients
        /// The connection was closed, failed or reached its message limit earlier.
        case connectionNotUsable
    }

    /// The relay's configured name.
    public let relay: String
    /// `host:port`, printed after the name when the name differs from it.
    public let endpoint: String?
    public let kind: Kind

    public init(relay: String, endpoint: String?, kind: Kind) {
        self.relay = relay
        self.endpoint = endpoint
        self.kind = kind
    }

    init(_ configuration: SMTPRelayConfiguration, _ kind: Kind) {
        self.init(relay: configuration.name, endpoint: configuration.endpoint, kind: kind)
    }

    /// True when the same message may succeed later or on another relay (connection trouble,
    /// 4xx at session level); false for problems of the message itself or of the configuration.
    public var isTransient: Bool {
        switch kind {
        case .connectFailed, .timeout, .connectionClosed, .serviceClosing, .connectionNotUsable,
             .protocolError, .unexpectedReply, .dataBeforeTLS:
            true
        case .greetingRejected(let r), .heloRejected(let r), .startTLSRejected(let r), .authFailed(let r):
            r.isTransient
        case .invalidConfiguration, .startTLSRequiredButNotOffered, .tlsFailed, .authNotOffered,
             .authMechanismUnsupported, .lineTooLong, .messageTooLarge, .smtpUTF8Required, .noRecipients:
            false
        }
    }

    /// `relay-a (127.0.0.1:2525): …` for trouble reaching or securing the server, where the address
    /// is what the operator checks; `relay-a: …` once the session is up (AUTH, timeouts, replies).
    public var description: String {
        guard namesEndpoint, let endpoint, endpoint != relay else { return "\(relay): \(reason)" }
        return "\(relay) (\(endpoint)): \(reason)"
    }

    private var namesEndpoint: Bool {
        switch kind {
        case .invalidConfiguration, .connectFailed, .greetingRejected, .heloRejected, .startTLSRequiredButNotOffered,
             .startTLSRejected, .tlsFailed, .dataBeforeTLS:
            true
        default:
            false
        }
    }

    private var reason: String {
        switch kind {
        case .invalidConfiguration(let why): return why
        case .connectFailed(let why): return "cannot connect: \(why)"
        case .greetingRejected(let r): return "server refused the session: \(r)"
        case .heloRejected(let r): return "EHLO and HELO refused: \(r)"
        case .startTLSRequiredButNotOffered: return "STARTTLS required but not offered"
        case .startTLSRejected(let r): return "STARTTLS refused: \(r)"
        case .tlsFailed(let why): return "TLS failed: \(why)"
        case .dataBeforeTLS: return "server sent data after its 220 to STARTTLS, before TLS started (possible injection); closing"
        case .authNotOffered: return "credentials configured but the server offers no AUTH (is STARTTLS needed?)"
        case .authMechanismUnsupported(let offered, let wanted):
            if let wanted { return "AUTH \(wanted.rawValue) configured but the server offers only \(offered.joined(separator: " "))" }
            return "AUTH offers only \(offered.joined(separator: " ")); Facteur supports PLAIN, LOGIN and CRAM-MD5 (XOAUTH2 when configured with auth=xoauth2)"
        case .authFailed(let r): return "AUTH failed: \(r)"
        case .serviceClosing(let r, let stage): return "server closed the session at \(stage): \(r)"
        case .timeout(let stage, let seconds):
            let what = stage == .dataTermination ? "reply to end of DATA" : stage == .dataBlock ? "message data to be sent" : "\(stage) reply"
            return "timeout waiting for \(what) after \(Self.format(seconds)) s"
        case .connectionClosed(let stage): return "connection closed by the server while waiting for \(stage == .dataTermination ? "reply to end of DATA" : "\(stage) reply")"
        case .protocolError(let why): return "protocol error: \(why)"
        case .unexpectedReply(let r, let stage): return "unexpected reply to \(stage): \(r)"
        case .lineTooLong(let line, let length):
            return "message line \(line) is \(length) octets, over SMTP's 998 limit; not sent (encode the body as quoted-printable or base64)"
        case .messageTooLarge(let size, let limit): return "message of \(size) octets exceeds the server's SIZE limit of \(limit)"
        case .smtpUTF8Required: return "an address is not ASCII and the server does not offer SMTPUTF8"
        case .noRecipients: return "envelope has no recipients"
        case .connectionNotUsable: return "connection is closed or at its message limit"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
