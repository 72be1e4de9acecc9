import FacteurTesting
import Foundation
import Testing

/// `facteur run` serves the endpoint in its ServiceGroup, and refuses to start it where anyone could reach
/// it without credentials.
@Suite(.serialized) struct RunCommandEndpointTests {
    /// The listener is given as `FACTEUR_HTTP_LISTEN` (FacteurCommand turns the endpoint off otherwise).
    static func configuration(database: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-http-\(UUID().uuidString).yaml")
        try """
        database:
          url: \(database)
        relays:
          - name: sink
            url: \(try TestServices.requireSMTPSink())
        """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func publicListenerWithoutCredentialsStopsTheService() async throws {
        let port = try SinkPorts.free()
        let file = try Self.configuration(database: TestServices.mysqlURL + "/unused")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await FacteurCommand.built().run(["--config", file.path, "run"],
                                                          environment: ["FACTEUR_HTTP_LISTEN": "0.0.0.0:\(port)"], timeout: 60)
        #expect(result.status == 1)
        #expect(result.standardError.contains(
            "refusing to serve HTTP on 0.0.0.0:\(port): it is not a loopback address and neither http.token nor http.basic_auth is set"),
            "\(result.standardError)")
        #expect(!SinkPorts.canConnect(port))
    }

    @Test func runServesTheEndpointWithTheToken() async throws {
        // An empty database: the service polls and logs, and sends nothing.
        let database = try await TestDatabase.create()
        let port = try SinkPorts.free()
        let file = try Self.configuration(database: database.url)
        defer { try? FileManager.default.removeItem(at: file) }
        let running = try FacteurCommand.built().launch(["--config", file.path, "run", "--log-level", "warning"],
                                                         environment: ["FACTEUR_HTTP_TOKEN": "run-token",
                                                                       "FACTEUR_HTTP_LISTEN": "0.0.0.0:\(port)"])
        try await SinkPorts.waitUntilListening(port, seconds: 30)
        #expect(try await PlainHTTPClient.get(port: port, path: "/metrics").status == 401)
        let metrics = try await PlainHTTPClient.get(port: port, path: "/metrics", headers: ["Authorization": "Bearer run-token"])
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("facteur_relay_up{relay=\"sink\"} 1.0"), "\(metrics.body.prefix(2000))")
        #expect(try await PlainHTTPClient.get(port: port, path: "/health").status == 200)
        running.signal(SIGTERM)
        let ended = try await running.waitForExit(timeout: 60)
        #expect(ended.status == 0, "\(ended.standardError)")
        try? await database.drop()
    }
}
