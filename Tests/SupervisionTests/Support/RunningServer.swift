import FacteurConfig
import FacteurTesting
import Foundation
import Logging
import ServiceLifecycle
import Supervision

/// A `SupervisionServer` running in the test on a port of its own, and a real HTTP client for it.
struct RunningServer {
    let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    /// Starts `server` in a ServiceGroup, as `facteur run` does, and waits until it accepts connections
    /// on 127.0.0.1:`port`.
    static func start(_ server: SupervisionServer, port: Int) async throws -> RunningServer {
        let group = ServiceGroup(configuration: .init(services: [server], logger: Logger(label: "test.group")))
        let task = Task { try await group.run() }
        try await SinkPorts.waitUntilListening(port)
        return RunningServer(port: port, group: group, task: task)
    }

    /// A server for `listen` with `credentials`, over `exporter` and `readiness`.
    static func start(listen host: String = "127.0.0.1", token: String = "", basicAuth: String = "",
                      exporter: MetricsExporter = MetricsExporter(), readiness: Readiness = Readiness([]),
                      routes: SupervisionServer.Routes? = nil) async throws -> RunningServer {
        let port = try SinkPorts.free()
        var configuration = HTTPConfiguration()
        configuration.listen = "\(host):\(port)"
        configuration.token = token
        configuration.basicAuth = basicAuth
        var logger = Logger(label: "test.http")
        logger.logLevel = .warning
        let server = try SupervisionServer(configuration: configuration, exporter: exporter, readiness: readiness,
                                           logger: logger, routes: routes)
        return try await start(server, port: port)
    }

    struct Reply {
        let status: Int
        let body: String
        /// Header names in lower case.
        let headers: [String: String]

        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// GET `path` from 127.0.0.1, with an `Authorization` header when given.
    func get(_ path: String, authorization: String? = nil) async throws -> Reply {
        let response = try await PlainHTTPClient.get(port: port, path: path,
                                                     headers: authorization.map { ["Authorization": $0] } ?? [:])
        return Reply(status: response.status, body: response.body, headers: response.headers)
    }

    /// Graceful shutdown, as SIGTERM in `facteur run`; throws what the server's run threw.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
