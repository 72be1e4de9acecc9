/// The reply the client is waiting for; names the stage in errors and picks its timeout.
public enum SMTPStage: String, Sendable, Hashable, CustomStringConvertible {
    case connect
    case greeting
    case ehlo = "EHLO"
    case helo = "HELO"
    case startTLS = "STARTTLS"
    case tlsHandshake = "TLS handshake"
    case auth = "AUTH"
    case mailFrom = "MAIL"
    case rcptTo = "RCPT"
    case dataInitiation = "DATA"
    case dataBlock = "message data"
    case dataTermination = "end of DATA"
    case rset = "RSET"
    case noop = "NOOP"
    case quit = "QUIT"
    case idle

    public var description: String { rawValue }
}
