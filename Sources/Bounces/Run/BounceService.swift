import Logging
import PHPList
import ServiceLifecycle

/// `facteur run`'s bounce side: reads every configured mailbox each `pollInterval`, runs the inbound
/// listener when `bounces.listen` is set, and runs processbounces' rules and threshold pass after
/// bounces arrived through the listener (mailbox passes run it themselves). Stops on graceful
/// shutdown: the listener stops accepting, a mailbox pass in progress finishes its page.
public struct BounceService: Service {
    let round: MailboxRound
    let listener: ListenerIntake?
    let processor: BounceProcessor
    let pollInterval: Duration
    let logger: Logger

    public init(round: MailboxRound, listener: ListenerIntake?, processor: BounceProcessor, pollInterval: Duration, logger: Logger) {
        self.round = round
        self.listener = listener
        self.processor = processor
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        let running = try await listener?.start()
        var passedAt = 0
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                for report in await round.run() where report.failed {
                    logger.error("bounce mailbox failed; trying again at the next poll", metadata: ["summary": "\(report.summaryLine)"])
                }
                if let listener, listener.committedCount != passedAt {
                    let count = listener.committedCount
                    if await rulesPass() { passedAt = count }
                }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
            }
        } onGracefulShutdown: {
            logger.info("bounce service stopping")
        }
        await running?.stop()
        logger.info("bounce service stopped")
    }

    /// The rules and threshold pass under PHPList's processbounces lock; false when the lock is busy or
    /// the database failed (tried again at the next poll).
    private func rulesPass() async -> Bool {
        let batch = BounceBatch(processor: processor, database: processor.database, logger: logger)
        do {
            let lock = try await batch.acquireLock()
            do {
                _ = try await processor.applyRulesAndThresholds()
            } catch {
                try? await processor.database.releaseSendProcessLock(lock)
                throw error
            }
            try await processor.database.releaseSendProcessLock(lock)
            return true
        } catch {
            logger.warning("bounce rules pass postponed to the next poll", metadata: ["error": "\(error)"])
            return false
        }
    }
}
