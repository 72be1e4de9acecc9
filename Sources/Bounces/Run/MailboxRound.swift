import Logging

/// Every configured mailbox read once, one after the other (they share PHPList's single
/// `processbounces` lock, so reading them in parallel would only make them wait for each other).
/// One mailbox failing does not stop the others.
public struct MailboxRound: Sendable {
    public let passes: [MailboxPass]

    public init(passes: [MailboxPass]) {
        self.passes = passes
    }

    public init(sources: [MailboxSource], processor: BounceProcessor, workerID: String, concurrency: Int = 1,
                logger: Logger, crashPoint: String? = nil) {
        passes = sources.map {
            var pass = MailboxPass(source: $0, processor: processor, workerID: workerID, logger: logger, crashPoint: crashPoint)
            pass.concurrency = max(1, concurrency)
            return pass
        }
    }

    public func run() async -> [MailboxPassReport] {
        var reports: [MailboxPassReport] = []
        for pass in passes {
            if Task.isCancelled { break }
            reports.append(await pass.run())
        }
        return reports
    }
}
