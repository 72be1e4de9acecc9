import Foundation

extension TestServices {
    /// The shared smtp-sink that `scripts/services.sh up` runs (FACTEUR_TEST_SMTP_URL), checked to accept
    /// connections: a missing sink fails the test, saying how to start it.
    public static func requireSMTPSink() throws -> String {
        let url = ProcessInfo.processInfo.environment["FACTEUR_TEST_SMTP_URL"] ?? "smtp://127.0.0.1:2525"
        guard let components = URLComponents(string: url), components.host == "127.0.0.1", let port = components.port,
              SinkPorts.canConnect(port)
        else {
            throw ServiceUnavailable(service: "smtp-sink", target: url, underlying: "connection refused")
        }
        return url
    }
}
