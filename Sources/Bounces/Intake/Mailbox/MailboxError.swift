/// Why a mailbox could not be read or updated; each case names the mailbox (its key) so an
/// operator can find it in the configuration.
public struct MailboxError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case invalidURL(String)
        case connectFailed(String)
        case tlsFailed(String)
        /// STARTTLS is `required` but the server does not offer it.
        case tlsUnavailable
        case authenticationFailed(String)
        /// The server answered NO/BAD/-ERR to a command.
        case commandFailed(command: String, reply: String)
        case protocolError(String)
        case timeout(seconds: Double)
        case connectionClosed
        case unknownMessage(String)
        case fileError(path: String, reason: String)
    }

    public let mailbox: String
    public let kind: Kind

    public init(mailbox: String, _ kind: Kind) {
        self.mailbox = mailbox
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .invalidURL(let reason): "bounce mailbox \(mailbox): invalid URL: \(reason)"
        case .connectFailed(let reason): "bounce mailbox \(mailbox): cannot connect: \(reason)"
        case .tlsFailed(let reason): "bounce mailbox \(mailbox): TLS failed: \(reason)"
        case .tlsUnavailable:
            "bounce mailbox \(mailbox): the server offers no STARTTLS but starttls is required "
                + "(use imaps:// or pop3s://, or set starttls: opportunistic)"
        case .authenticationFailed(let reply): "bounce mailbox \(mailbox): login refused: \(reply) (check user and password)"
        case .commandFailed(let command, let reply): "bounce mailbox \(mailbox): \(command) failed: \(reply)"
        case .protocolError(let reason): "bounce mailbox \(mailbox): protocol error: \(reason)"
        case .timeout(let seconds): "bounce mailbox \(mailbox): no answer within \(seconds) s"
        case .connectionClosed: "bounce mailbox \(mailbox): the server closed the connection"
        case .unknownMessage(let id): "bounce mailbox \(mailbox): no fetched message \(id)"
        case .fileError(let path, let reason): "bounce mailbox \(mailbox): \(path): \(reason)"
        }
    }
}
