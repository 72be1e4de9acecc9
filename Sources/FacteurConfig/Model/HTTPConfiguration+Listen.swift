extension HTTPConfiguration {
    /// `listen` as host and port; nil when empty or not host:port.
    public var listenAddress: (host: String, port: Int)? {
        ListenAddress(listen).map { ($0.host, $0.port) }
    }

    /// True when `listen` is a loopback address (localhost, 127.0.0.0/8, ::1).
    public var listensOnLoopback: Bool { ListenAddress(listen)?.isLoopback ?? false }

    /// `basic_auth` split at its first colon; nil when empty, without a colon, or with an empty part.
    public var basicAuthCredentials: (user: String, password: String)? {
        guard let colon = basicAuth.firstIndex(of: ":") else { return nil }
        let user = String(basicAuth[..<colon]), password = String(basicAuth[basicAuth.index(after: colon)...])
        return user.isEmpty || password.isEmpty ? nil : (user, password)
    }
}
