import FacteurConfig
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP endpoint (`http.listen`), run as a Service in `facteur run`'s ServiceGroup:
/// `/metrics` (Prometheus text format), `/health` (liveness: the process answers), `/ready` (the
/// database answers and at least one relay is usable; 503 with the problems otherwise), and the routes
/// others mount through `routes` (the status page). Every route but `/health` requires the configured
/// credentials; a listener off loopback without credentials is refused at construction.
public struct SupervisionServer: Service {
    public typealias Routes = @Sendable (Router<BasicRequestContext>) -> Void

    /// Paths reachable without credentials.
    public static let openPaths: Set<String> = ["/health"]

    let host: String
    let port: Int
    let credentials: HTTPCredentials
    let exporter: MetricsExporter
    let readiness: Readiness
    let routes: Routes?
    let onListening: (@Sendable (_ port: Int) async -> Void)?
    let logger: Logger

    /// - Parameters:
    ///   - routes: mounts further routes (the status page); they get the same access control.
    ///   - onListening: called with the bound port once the server listens (useful with port 0).
    public init(configuration: HTTPConfiguration, exporter: MetricsExporter, readiness: Readiness,
                logger: Logger, routes: Routes? = nil,
                onListening: (@Sendable (_ port: Int) async -> Void)? = nil) throws(SupervisionError) {
        guard let address = configuration.listenAddress else { throw .invalidListen(configuration.listen) }
        let credentials = try HTTPCredentials(configuration)
        if !configuration.listensOnLoopback && credentials.isEmpty {
            throw .unprotectedListener(configuration.listen)
        }
        host = address.host.isEmpty ? "0.0.0.0" : address.host
        port = address.port
        self.credentials = credentials
        self.exporter = exporter
        self.readiness = readiness
        self.routes = routes
        self.onListening = onListening
        self.logger = logger
    }

    /// The router with access control first, then the built-in routes, then `routes`.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: AccessControlMiddleware(credentials: credentials, openPaths: Self.openPaths))
        router.get("/health") { _, _ in Self.text("ok\n") }
        router.get("/ready") { [readiness] _, _ in
            let problems = await readiness.problems()
            return problems.isEmpty ? Self.text("ready\n")
                : Self.text(problems.joined(separator: "\n") + "\n", status: .serviceUnavailable)
        }
        router.get("/metrics") { [exporter] _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: await exporter.scrape())))
        }
        routes?(router)
        return router
    }

    public func run() async throws {
        let onListening = self.onListening
        let logger = self.logger
        let app = Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "facteur"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("HTTP endpoint listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
                await onListening?(port)
            },
            logger: logger)
        // A ServiceGroup of its own inside: graceful shutdown of the enclosing group reaches it.
        do {
            try await app.run()
        } catch let error as IOError {
            throw SupervisionError.cannotListen("\(host):\(port)", reason: "\(error)")
        }
    }

    static func text(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
