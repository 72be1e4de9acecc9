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
    /// AUTH mechanism (`plain`, `login`, `cram-md5`, `xoauth2`); empty = the best the relay offers
    /// (XOAUTH2 only when chosen; the URL's password is then the access token).
    public var auth = ""
    /// RFC 5321 §4.5.3.2 timeouts, in seconds (defaults are the RFC's minimums).
    public var timeoutConnect = 30.0
    /// Greeting, EHLO, STARTTLS, AUTH, MAIL and RCPT replies.
    public var timeoutCommand = 300.0
    /// The 354 after DATA.
    public var timeoutDataInitiation = 120.0
    /// Each block of message data written.
    public var timeoutDataBlock = 180.0
    /// The reply after the final ".".
    public var timeoutDataTermination = 600.0
    /// An unused connection is closed with QUIT after this long.
    public var timeoutIdle = 300.0

    public init(name: String = "", url: String = "") {
        self.name = name
        self.url = url
    }

    /// The parsed URL, or why it cannot be parsed.
    public var parsedURL: Result<ServiceURL, ServiceURL.ParseError> {
        Result { () throws(ServiceURL.ParseError) in try ServiceURL(parsing: url) }
    }
}
