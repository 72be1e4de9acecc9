/// One `relays[]` entry: an SMTP server campaign mail is handed to.
public struct RelayConfiguration: Sendable, Equatable {
    /// Used in logs and metrics; defaults to the URL's host:port.
    public var name = ""
    /// `smtp://` (STARTTLS per `starttls`) or `smtps://` (implicit TLS); `user:pass@` for AUTH.
    public var url = ""
    /// Share of traffic relative to the other relays.
    public var weight = 1
    public var maxConnections = 8
    public var messagesPerConnection = 100
    /// Messages per second, 0 = no limit.
    public var maxRate = 0.0
    /// Messages per day, 0 = no limit.
    public var dailyCap = 0
    public var starttls = StartTLSPolicy.opportunistic
    /// PEM file of CAs to trust instead of the system's; empty = system store.
    public var tlsCAFile = ""
    public var tlsVerify = true

    public init(name: String = "", url: String = "") {
        self.name = name
        self.url = url
    }

    /// The parsed URL, or why it cannot be parsed.
    public var parsedURL: Result<ServiceURL, ServiceURL.ParseError> {
        Result { () throws(ServiceURL.ParseError) in try ServiceURL(parsing: url) }
    }
}
