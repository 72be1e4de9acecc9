import Foundation
import Logging
import PHPList

/// One pass over one mailbox: takes the mailbox's lease (one reader among workers), opens it, and
/// page by page processes every message with `BounceProcessor` while holding PHPList's
/// `processbounces` lock; a message is deleted, moved or flagged only after its bounce is
/// committed. Ends with processbounces' rules and threshold pass, then gives the lock, the mailbox
/// and the lease back. Never throws: what went wrong is in the report, naming the mailbox.
public struct MailboxPass: Sendable {
    public let source: MailboxSource
    public let processor: BounceProcessor
    /// Holder name in `facteur_bounce_mailbox_leases` (the worker identity).
    public let workerID: String
    /// Messages fetched, processed and finished together (one IMAP round trip to finish them).
    public var pageSize = 100
    /// Messages of a page processed at the same time.
    public var concurrency = 1
    public var leaseSeconds = 120
    let logger: Logger
    let crash: FinishCrashHook?

    /// `crashPoint` is `FACTEUR_TEST_CRASH_AT` (test-only; see `FinishCrashHook`).
    public init(source: MailboxSource, processor: BounceProcessor, workerID: String, logger: Logger, crashPoint: String? = nil) {
        self.source = source
        self.processor = processor
        self.workerID = workerID
        self.logger = logger
        self.crash = crashPoint.flatMap(FinishCrashHook.init)
    }

    public func run() async -> MailboxPassReport {
        let start = ContinuousClock.now
        var report = MailboxPassReport(mailbox: source.key)
        var logger = self.logger
        logger[metadataKey: "mailbox"] = "\(source.key)"
        let database = processor.database
        let lease = BounceMailboxLease(pool: database.pool, mailbox: source.key, workerID: workerID, seconds: leaseSeconds)
        do {
            if try await !lease.acquire() {
                let holder = try await lease.holder()
                guard let holder, try await lease.takeOverFromDeadProcess(holder) else {
                    report.ending = .leasedElsewhere(holder: holder)
                    logger.info("bounce mailbox read by another worker; skipped", metadata: ["holder": "\(holder ?? "")"])
                    return report
                }
                logger.warning("took over the bounce mailbox lease of dead process \(holder)")
            }
        } catch {
            report.ending = .failed("database: cannot take the mailbox lease: \(error)")
            return report
        }
        let mailbox: any BounceMailbox
        do {
            mailbox = try await source.open(ledger: MariaDBKeptMessageLedger(pool: database.pool), logger: logger)
        } catch {
            report.ending = .failed(error.description)
            try? await lease.release()
            return report
        }
        let batch = BounceBatch(processor: processor, database: database, logger: logger)
        var lock: SendProcessLock?
        do {
            while true {
                let messages = try await mailbox.fetch(limit: pageSize)
                if messages.isEmpty { break }
                // Taken only when there is work, so an empty mailbox never blocks PHPList's processbounces.
                if lock == nil { lock = try await batch.acquireLock() }
                report.fetched += messages.count
                try await process(messages, in: mailbox, report: &report)
                guard try await lease.renew() else {
                    throw LeaseLost(mailbox: source.key)
                }
                if let lock { try await database.keepSendProcessLock(lock) }
            }
            if let held = lock {
                report.pass = try await processor.applyRulesAndThresholds()
                lock = nil
                try await database.releaseSendProcessLock(held)
            }
        } catch let busy as BounceBatch.Busy {
            report.ending = .busy(busy.description)
        } catch let error as MailboxError {
            report.ending = .failed(error.description)
        } catch let error as LeaseLost {
            report.ending = .failed(error.description)
        } catch {
            report.ending = .failed("database: \(error)")
        }
        if let lock { try? await database.releaseSendProcessLock(lock) }
        await mailbox.close()
        try? await lease.release()
        report.seconds = BounceBatch.seconds(ContinuousClock.now - start)
        switch report.ending {
        case .completed, .leasedElsewhere: logger.info("bounce mailbox read", metadata: ["summary": "\(report.summaryLine)"])
        case .busy, .failed: logger.error("bounce mailbox not fully processed", metadata: ["summary": "\(report.summaryLine)"])
        }
        return report
    }

    /// Processes one page, then finishes the committed messages: processed ones (PHPList's sense) with
    /// `source.processed`, unidentified ones with `source.unprocessed`.
    private func process(_ messages: [MailboxMessage], in mailbox: any BounceMailbox, report: inout MailboxPassReport) async throws {
        let processor = self.processor
        let outcomes = try await withThrowingTaskGroup(of: (Int, BounceOutcome).self) { group in
            var results = [BounceOutcome?](repeating: nil, count: messages.count)
            var next = 0
            func add() {
                let index = next
                let message = messages[index]
                next += 1
                group.addTask {
                    (index, try await processor.process(message.bytes, source: "\(message.receivedFrom)#\(message.id)"))
                }
            }
            while next < min(concurrency, messages.count) { add() }
            while let (index, outcome) = try await group.next() {
                results[index] = outcome
                if next < messages.count { add() }
            }
            return results.map { $0! }
        }
        var processed: [MailboxMessage.ID] = []
        var unprocessed: [MailboxMessage.ID] = []
        for (message, outcome) in zip(messages, outcomes) {
            report.count(outcome)
            if outcome.isProcessed { processed.append(message.id) } else { unprocessed.append(message.id) }
        }
        crash?.reached(committed: report.recorded + report.alreadySeen + report.skipped)
        if !processed.isEmpty { try await mailbox.finish(processed, disposition: source.processed) }
        if !unprocessed.isEmpty { try await mailbox.finish(unprocessed, disposition: source.unprocessed) }
        report.finished += processed.count + unprocessed.count
    }

    struct LeaseLost: Error, CustomStringConvertible {
        let mailbox: String
        var description: String {
            "bounce mailbox \(mailbox): the lease expired and another worker took the mailbox; stopped reading"
        }
    }
}
