/// `http.*`: the status and metrics endpoint.
public struct HTTPConfiguration: Sendable, Equatable {
    /// "host:port"; empty = no HTTP endpoint.
    public var listen = "127.0.0.1:8870"
    /// Bearer token required from clients; required when `listen` is not a loopback address.
    public var token = ""
    /// "user:password" clients must send with HTTP Basic authentication; an alternative to `token`.
    public var basicAuth = ""

    public init() {}
}
