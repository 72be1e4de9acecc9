import ArgumentParser
import Bounces
import Foundation
import PHPList
import ServiceLifecycle
import Worker

/// `facteur run`: the service. Sends due campaigns continuously (polling for new ones) until SIGTERM or
/// SIGINT, then stops gracefully: messages in DATA finish, other claims are returned, locks released.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run as a service: send campaigns as they become due, stop gracefully on SIGTERM/SIGINT."
    )

    @OptionGroup var options: GlobalOptions

    @Option(name: .customLong("poll-interval"), help: "Seconds between looks for new work (default 10).")
    var pollInterval: Double = 10

    func run() async throws {
        let runtime = try Runtime.load(options)
        let settings = try runtime.workerSettings()
        guard pollInterval > 0 else {
            Console.problem("--poll-interval must be a positive number of seconds")
            throw ExitCode.validationFailure
        }
        let pool = try runtime.makePool()
        let runner = QueueRunner(database: PHPListDatabase(pool: pool, tables: runtime.tables), settings: settings,
                                 logger: runtime.logger)
        let sending = QueueService(runner: runner, pollInterval: .milliseconds(Int(pollInterval * 1000)),
                                   logger: runtime.logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: sending)]
        if let bounces = try await BounceServiceSetup.service(runtime, pool: pool, identity: settings.identity) {
            services.append(.init(service: bounces))
        }
        if let http = try HTTPEndpoint.make(runtime: runtime, pool: pool, runner: runner) {
            // The endpoint ends with the group; its own end (a bind failure) ends the group too.
            services.append(.init(service: http, successTerminationBehavior: .gracefullyShutdownGroup,
                                  failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint],
            logger: runtime.logger))
        runtime.logger.info("facteur running", metadata: ["identity": "\(settings.identity)"])
        do {
            try await group.run()
        } catch {
            await pool.shutdown()
            Console.problem("\(error)")
            throw ExitCode.failure
        }
        await pool.shutdown()
    }
}
