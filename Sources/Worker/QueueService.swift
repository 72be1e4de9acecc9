import Foundation
import Logging
import MariaDB
import ServiceLifecycle

/// `facteur run`'s sending loop: processes the queue as `facteur send` does, then polls for new work.
/// On graceful shutdown (SIGTERM/SIGINT through the ServiceGroup) messages in DATA finish, other claims are
/// returned, the locks are released and `run()` returns. A database that is down pauses the loop: the
/// pass fails, is logged, and the next poll tries again.
public struct QueueService: Service {
    let runner: QueueRunner
    let pollInterval: Duration
    let logger: Logger

    public init(runner: QueueRunner, pollInterval: Duration = .seconds(10), logger: Logger) {
        self.runner = runner
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                runner.settings.metrics.heartbeat()
                await pass()
                // The sleep ends early on shutdown; the loop condition then ends the service.
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
            }
        } onGracefulShutdown: {
            runner.requestShutdown("graceful shutdown")
        }
        logger.info("sending service stopped")
    }

    private func pass() async {
        do {
            let report = try await runner.processQueue()
            for result in report.campaigns {
                logger.info("campaign pass ended", metadata: [
                    "campaign": "\(result.campaignID)", "ending": "\(result.ending)", "sent": "\(result.sent)",
                    "invalid": "\(result.invalid)", "seconds": "\(String(format: "%.1f", result.seconds))",
                ])
            }
            for failure in report.failures {
                logger.error("campaign not finished", metadata: ["reason": "\(failure)"])
            }
        } catch let error as MariaDBError {
            logger.error("database unavailable; sending paused until the next poll", metadata: ["error": "\(error)"])
        } catch {
            logger.error("queue pass failed; trying again at the next poll", metadata: ["error": "\(error)"])
        }
    }
}
