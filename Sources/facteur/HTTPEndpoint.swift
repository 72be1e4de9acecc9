import ArgumentParser
import MariaDB
import Supervision
import Worker

/// The supervision endpoint of `facteur run` (and `facteur send --http`): `/metrics`, `/health`,
/// `/ready` on `http.listen`, with swift-metrics bootstrapped to feed it.
enum HTTPEndpoint {
    /// nil when `http.listen` is empty. Refuses (exit 1, one line naming the keys) a listener off
    /// loopback without `http.token` or `http.basic_auth`. Bootstraps swift-metrics: once per process.
    /// `routes` mounts more routes (the status page) behind the same access control.
    static func make(runtime: Runtime, pool: MariaDBPool, runner: QueueRunner,
                     routes: SupervisionServer.Routes? = nil) throws -> SupervisionServer? {
        let http = runtime.configuration.http
        guard !http.listen.isEmpty else { return nil }
        var exporter = MetricsExporter()
        let relays = RelayPoolObserver(runner: runner)
        let database = DatabaseGauges(pool: pool, tables: runtime.tables, registry: exporter.registry, logger: runtime.logger)
        exporter.collectors = [{ relays.publish() }, { await database.refresh() }]
        let readiness = Readiness([.database(pool), .relays { relays.relays() }])
        let server: SupervisionServer
        do {
            server = try SupervisionServer(configuration: http, exporter: exporter, readiness: readiness, logger: runtime.logger,
                                           routes: routes)
        } catch {
            Console.problem("\(error)")
            throw ExitCode.failure
        }
        exporter.bootstrapSwiftMetrics()
        return server
    }
}
