import Foundation

extension TestServices {
    /// The shared smtp-sink that `scripts/services.sh up` runs (FACTEUR_TEST_SMTP_URL), checked to accept
    /// connections: a missing sink fails the test when CI is set and says how to start it otherwise.
    public static func requireSMTPSink() throws -> String {
        let url = ProcessInfo.processInfo.environment["FACTEUR_TEST_SMTP_URL"] ?? "smtp://127.0.0.1:2525"
        guard let components = URLComponents(string: url), let host = components.host, let port = components.port,
              TCPProbe.accepts(host: host, port: port)
        else {
            throw ServiceUnavailable(service: "smtp-sink", target: url, underlying: "connection refused")
        }
        return url
    }
}


enum TCPProbe {
    static func accepts(host: String, port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
