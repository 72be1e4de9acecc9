import ArgumentParser
import MariaDB
import Supervision
import Worker

/// The supervision endpoint of `facteur run` (and `facteur send --http`): `/metrics`, `/health`,
/// `/ready` and the status page (`/`, `/status.json`) on `http.listen`, with swift-metrics bootstrapped to feed it.
enum HTTPEndpoint {
    /// nil when `http.listen` is empty. Refuses (exit 1, one line naming the keys) a listener off
    /// loopback without `http.token` or `http.basic_auth`. Bootstraps swift-metrics: once per process.
    static func make(runtime: Runtime, pool: MariaDBPool, runner: QueueRunner) throws -> SupervisionServer? {
        let http = runtime.configuration.http
        guard !http.listen.isEmpty else { return nil }
        var exporter = MetricsExporter()
        let relays = RelayPoolObserver(runner: runner)
        let database = DatabaseGauges(pool: pool, tables: runtime.tables, registry: exporter.registry, logger: runtime.logger)
        exporter.collectors = [{ relays.publish() }, { await database.refresh() }]
        let readiness = Readiness([.database(pool), .relays { relays.relays() }])
        // The status page reads the database as `facteur status` does, so every host's page shows the
        // whole installation, not only this worker.
        let status = StatusReader(pool: pool, tables: runtime.tables,
                                  configuredProviders: runtime.configuration.throttle.providers)
        let logger = runtime.logger
        let server: SupervisionServer
        do {
            server = try SupervisionServer(configuration: http, exporter: exporter, readiness: readiness, logger: runtime.logger,
                                           routes: { StatusRoutes.register(on: $0, source: status, logger: logger) })
        } catch {
            Console.problem("\(error)")
            throw ExitCode.failure
        }
        exporter.bootstrapSwiftMetrics()
        return server
    }
}
