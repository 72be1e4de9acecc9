/// Why the HTTP endpoint cannot start; each says which setting to change.
public enum SupervisionError: Error, Equatable, CustomStringConvertible {
    /// `http.listen` is empty or not host:port.
    case invalidListen(String)
    /// A non-loopback `http.listen` without `http.token` or `http.basic_auth`.
    case unprotectedListener(String)
    /// `http.basic_auth` is set but not user:password.
    case invalidBasicAuth
    /// The listener could not bind (address in use, not an address of this host, …).
    case cannotListen(String, reason: String)

    public var description: String {
        switch self {
        case .invalidListen(let listen):
            "http.listen '\(listen)' is not host:port (e.g. 127.0.0.1:8870); the HTTP endpoint cannot start"
        case .unprotectedListener(let listen):
            "refusing to serve HTTP on \(listen): it is not a loopback address and neither http.token nor "
                + "http.basic_auth is set; set one of them, or listen on 127.0.0.1"
        case .invalidBasicAuth:
            "http.basic_auth must be user:password with a non-empty user and password; the HTTP endpoint cannot start"
        case .cannotListen(let listen, let reason):
            "the HTTP endpoint cannot listen on \(listen) (http.listen): \(reason); another process (another facteur?) "
                + "may hold it: give each worker on a host its own port, or an empty http.listen for none"
        }
    }
}
