import Foundation
import Logging
import PHPList

/// What one batch did (`facteur bounces process` prints `summaryLine`).
public struct BounceBatchReport: Sendable, OutcomeCounting {
    public var total = 0
    public var recorded = 0
    public var unidentified = 0
    public var alreadySeen = 0
    public var skipped = 0
    public var seconds = 0.0
    /// Of `seconds`, the end-of-batch pass (rules, threshold).
    public var passSeconds = 0.0
    public var pass = BounceBatchSummary()

    public var summaryLine: String {
        let rate = seconds > 0 ? Double(total) / seconds : 0
        return "\(total) bounces: \(recorded) recorded (\(unidentified) unidentified), \(alreadySeen) already processed, "
            + "\(skipped) skipped; rules matched \(pass.ruleMatches), threshold unconfirmed \(pass.unconfirmedByThreshold); "
            + String(format: "%.2f s (%.0f bounces/s; end pass %.2f s)", seconds, rate, passSeconds)
    }
}

/// One batch of messages already read (an mbox, a Maildir): PHPList's `processbounces` lock held
/// throughout, messages processed `concurrency` at a time, then the rules and threshold pass.
public struct BounceBatch: Sendable {
    public let processor: BounceProcessor
    public let database: PHPListDatabase
    let logger: Logger
    /// Bounces written per transaction (`BounceProcessor.process(batch:)`); 1 = one transaction each.
    public let batchSize: Int

    public init(processor: BounceProcessor, database: PHPListDatabase, logger: Logger, batchSize: Int = 100) {
        self.processor = processor
        self.database = database
        self.logger = logger
        self.batchSize = max(1, batchSize)
    }

    /// Another live process holds PHPList's processbounces lock.
    public struct Busy: Error, CustomStringConvertible {
        public let holder: String
        public let age: Int
        public var description: String {
            "A process for this page is already running: processbounces lock held by \(holder) (alive \(age) s ago); try later"
        }
    }

    /// Parses, classifies and writes the messages, `batchSize` per transaction, `concurrency` transactions
    /// at a time (each batch is parsed by the task that writes it, so parsing runs on every core).
    public func run(_ messages: [(source: String, bytes: [UInt8])], concurrency: Int) async throws -> BounceBatchReport {
        let processor = self.processor
        return try await locked(count: messages.count, concurrency: concurrency) { range in
            try await processor.process(batch: messages[range].map { (source: $0.source, bounce: processor.prepare($0.bytes)) })
        }
    }

    /// The same for bounces prepared beforehand (`BounceProcessor.prepare`): only the writes are timed.
    public func run(prepared: [(source: String, bounce: PreparedBounce)], concurrency: Int) async throws -> BounceBatchReport {
        let processor = self.processor
        return try await locked(count: prepared.count, concurrency: concurrency) { range in
            try await processor.process(batch: Array(prepared[range]))
        }
    }

    private func locked(count: Int, concurrency: Int,
                        _ work: @escaping @Sendable (Range<Int>) async throws -> [BounceOutcome]) async throws -> BounceBatchReport {
        let lock = try await acquireLock()
        do {
            let report = try await process(count: count, concurrency: concurrency, lock: lock, work)
            try await database.releaseSendProcessLock(lock)
            return report
        } catch {
            try? await database.releaseSendProcessLock(lock)
            throw error
        }
    }

    /// Takes PHPList's `processbounces` lock row (as `facteur:<pid>@<host>`), as getPageLock does; throws
    /// `Busy` while another live process holds it. A row left by a dead Facteur process of this host is removed.
    /// Intakes that stream messages hold it around their batch and refresh it with `keepSendProcessLock`.
    public func acquireLock() async throws -> SendProcessLock {
        let host = ProcessInfo.processInfo.hostName
        for holder in try await database.liveSendProcesses(page: "processbounces") {
            // A Facteur process of this host that no longer exists (killed, crashed) left its row behind.
            if let pid = Self.facteurPID(holder.ipaddress, host: host), kill(pid, 0) != 0, errno == ESRCH {
                logger.warning("removing the processbounces lock of dead process \(holder.ipaddress)")
                try await database.releaseSendProcessLock(
                    SendProcessLock(id: holder.id, page: "processbounces", ipaddress: holder.ipaddress))
                continue
            }
            throw Busy(holder: holder.ipaddress, age: holder.ageSeconds)
        }
        let identity = SendProcessLock.facteurIdentity(pid: ProcessInfo.processInfo.processIdentifier, host: host)
        return try await database.acquireSendProcessLock(page: "processbounces", ipaddress: identity)
    }

    private func process(count: Int, concurrency: Int, lock: SendProcessLock,
                         _ work: @escaping @Sendable (Range<Int>) async throws -> [BounceOutcome]) async throws -> BounceBatchReport {
        var report = BounceBatchReport()
        let start = ContinuousClock.now
        let processor = self.processor
        // Batches no larger than an even share, so that every writer has work on a small input too.
        let size = max(1, min(batchSize, (count + max(1, concurrency) - 1) / max(1, concurrency)))
        let ranges = stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
        try await withThrowingTaskGroup(of: [BounceOutcome].self) { group in
            var next = 0
            while next < ranges.count && next < concurrency {
                let range = ranges[next]
                next += 1
                group.addTask { try await work(range) }
            }
            var sinceKeep = 0
            while let outcomes = try await group.next() {
                for outcome in outcomes {
                    report.total += 1
                    report.count(outcome)
                }
                sinceKeep += outcomes.count
                if sinceKeep >= 500 {
                    sinceKeep = 0
                    try await database.keepSendProcessLock(lock)
                }
                if next < ranges.count {
                    let range = ranges[next]
                    next += 1
                    group.addTask { try await work(range) }
                }
            }
        }
        try await database.keepSendProcessLock(lock)
        let passStart = ContinuousClock.now
        report.pass = try await processor.applyRulesAndThresholds()
        report.passSeconds = Self.seconds(ContinuousClock.now - passStart)
        report.seconds = Self.seconds(ContinuousClock.now - start)
        return report
    }

    /// The pid of a `facteur:<pid>@<host>` lock identity when it names this host.
    static func facteurPID(_ identity: String, host: String) -> Int32? {
        guard identity.hasPrefix(SendProcessLock.facteurPrefix) else { return nil }
        let rest = identity.dropFirst(SendProcessLock.facteurPrefix.count)
        guard let at = rest.firstIndex(of: "@") else { return nil }
        let named = String(rest[rest.index(after: at)...])
        // The identity is cut to the column's 50 characters, possibly inside the host name.
        guard named == host || (identity.count == 50 && host.hasPrefix(named)) else { return nil }
        return Int32(rest[..<at])
    }

    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
