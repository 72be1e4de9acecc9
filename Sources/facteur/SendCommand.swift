import ArgumentParser
import Foundation
import PHPList
import ServiceLifecycle
import Worker

/// `facteur send [--campaign ID] [--no-wait]`: processes PHPList's queue once, as processqueue does.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send every due campaign (or one) to completion, writing PHPList's status as PHPList does."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Only this campaign (phplist_message.id).")
    var campaign: Int?

    @Flag(name: .customLong("no-wait"),
          help: "One pass only: do not wait for retries (exit 3 if some are pending) nor for PHPList's own processqueue lock.")
    var noWait = false

    @Flag(name: .customLong("http"), help: "Serve /metrics, /health and /ready on http.listen while sending.")
    var http = false

    func run() async throws {
        let runtime = try Runtime.load(options)
        var settings = try runtime.workerSettings()
        settings.waitForPHPListLock = !noWait
        if noWait { settings.maxRetryPasses = 0 }
        let pool = try runtime.makePool()
        let runner = QueueRunner(database: PHPListDatabase(pool: pool, tables: runtime.tables), settings: settings,
                                 logger: runtime.logger)
        var endpoint: (group: ServiceGroup, task: Task<Void, any Error>)?
        if http {
            guard let server = try HTTPEndpoint.make(runtime: runtime, pool: pool, runner: runner) else {
                Console.problem("--http: http.listen is empty")
                throw ExitCode.validationFailure
            }
            let group = ServiceGroup(configuration: .init(services: [server], logger: runtime.logger))
            endpoint = (group, Task { try await group.run() })
        }
        let signals = SignalWatch { runner.requestShutdown("stopped by signal \($0)") }
        defer { signals.cancel() }
        let report: QueueRunReport
        do {
            report = try await runner.processQueue(campaign: campaign)
        } catch {
            if let endpoint { await endpoint.group.triggerGracefulShutdown() }
            await pool.shutdown()
            Console.problem("\(error)")
            throw ExitCode.failure
        }
        if let endpoint {
            await endpoint.group.triggerGracefulShutdown()
            _ = await endpoint.task.result
        }
        await pool.shutdown()
        for result in report.campaigns {
            let rate = result.seconds > 0 ? Double(result.sent) / result.seconds : 0
            print("campaign \(result.campaignID): \(Self.describe(result.ending)); \(result.sent) sent, "
                + "\(result.invalid) invalid, \(result.bounced) refused, \(result.processed) processed in "
                + String(format: "%.2f s (%.0f msg/s)", result.seconds, rate))
        }
        if report.campaigns.isEmpty && report.failures.isEmpty { print("nothing to send") }
        for failure in report.failures { Console.problem("\(failure)") }
        if report.failures.isEmpty { return }
        // Exit 3: only transient failures are left, for a later run (cron with --no-wait); 1: a real failure.
        let onlyPending = report.failures.allSatisfy { if case .campaignUnfinished = $0 { return true } else { return false } }
        throw noWait && onlyPending ? ExitCode(3) : ExitCode.failure
    }

    static func describe(_ ending: CampaignResult.Ending) -> String {
        switch ending {
        case .finished: return "sent"
        case .stopped(let status): return "stopped (\(status))"
        case .continuedByOtherWorkers(let inFlight): return "continued by other workers (\(inFlight) in flight)"
        case .unfinished(let remaining, _): return "unfinished (\(remaining) left)"
        }
    }
}

/// SIGTERM/SIGINT ask for a graceful stop: messages in DATA finish, other claims are returned.
// @unchecked: `sources` is set once in init and only cancelled afterwards; dispatch sources are thread-safe.
final class SignalWatch: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(_ handler: @escaping @Sendable (Int32) -> Void) {
        sources = [SIGTERM, SIGINT].map { signo in
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler { handler(signo) }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
