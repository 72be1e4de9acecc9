/// A "host:port" to listen on, as written in `http.listen` and `bounces.listen`.
struct ListenAddress: Equatable {
    var host: String
    var port: Int

    init?(_ text: String) {
        let (host, port) = PHPListConfigFile.splitHostPort(text)
        guard let port, (0...65535).contains(port) else { return nil }
        self.host = host
        self.port = port
    }

    /// Loopback only: "localhost", 127.0.0.0/8 or ::1. An empty host listens everywhere.
    var isLoopback: Bool {
        let lowered = host.lowercased()
        return lowered == "localhost" || lowered == "::1" || lowered.hasPrefix("127.")
    }
}
