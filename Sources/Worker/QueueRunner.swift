import Foundation
import Logging
import MariaDB
import PHPList
import Relaying

/// What one `facteur send` run did.
public struct QueueRunReport: Sendable {
    public var campaigns: [CampaignResult] = []
    /// Campaigns that could not finish, with the reason (empty = exit 0).
    public var failures: [WorkerError] = []
}

/// PHPList's processqueue, done by Facteur: takes PHPList's page lock, requeues as PHPList does, picks due
/// campaigns oldest first and sends each to completion.
public struct QueueRunner: Sendable {
    public let database: PHPListDatabase
    public let settings: WorkerSettings
    public let logger: Logger
    private let shutdown = StopFlag()
    /// Relay health and speed, kept from one campaign (and one queue run) to the next.
    public let relayPool: RelayPool

    public init(database: PHPListDatabase, settings: WorkerSettings, logger: Logger = Logger(label: "facteur.worker"),
                clock: any RelayingClock = SystemRelayingClock()) {
        self.database = database
        self.settings = settings
        self.logger = logger
        relayPool = RelayPool(RelayPoolState(relays: settings.allRelays.map(\.descriptor), providers: settings.relaying.providers,
                                             phplist: PHPListThrottle(settings.relaying.phplistQueue),
                                             settings: settings.relaying.pool), clock: clock)
    }

    /// Asks a running `processQueue` to stop gracefully: messages in DATA finish, other claims are returned.
    public func requestShutdown(_ reason: String = "shutdown requested") { shutdown.stop(reason) }

    /// Processes every due campaign (or only `campaign`) once, to completion.
    public func processQueue(campaign only: Int? = nil) async throws -> QueueRunReport {
        do {
            try await ledger.heartbeat()
        } catch let error as MariaDBError where error.serverCode == 1146 {
            throw WorkerError.migrationsMissing(detail: error.description)
        }
        let lock: SendProcessLock
        do {
            lock = try await takeLock()
        } catch {
            try? await ledger.deregister()
            throw error
        }
        let keeper = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: settings.lockKeepInterval)
                if Task.isCancelled { break }
                do {
                    try await database.keepSendProcessLock(lock)
                    try await ledger.heartbeat()
                    settings.metrics.heartbeat()
                } catch {
                    logger.warning("cannot refresh the sendprocess lock", metadata: ["error": "\(error)"])
                }
            }
        }
        do {
            let report = try await process(only: only)
            keeper.cancel()
            try await database.releaseSendProcessLock(lock)
            try await ledger.deregister()
            return report
        } catch {
            keeper.cancel()
            try? await database.releaseSendProcessLock(lock)
            try? await ledger.deregister()
            throw error
        }
    }

    private var ledger: ClaimLedger {
        ClaimLedger(pool: database.pool, workerID: settings.identity, userMessageTable: database.tables.userMessage,
                    leaseSeconds: settings.leaseSeconds)
    }

    private func process(only: Int?) async throws -> QueueRunReport {
        var report = QueueRunReport()
        try await database.requeueSentCampaigns()
        var ids = try await database.queuedCampaignIDs()
        if let only {
            guard ids.contains(only) else {
                let status = try await database.campaignStatus(id: only)?.raw ?? "missing"
                report.failures.append(.campaignNotQueued(id: only, status: status))
                return report
            }
            ids = [only]
        }
        guard !ids.isEmpty else { return report }
        let started = Date()
        let eventsBefore = try await database.lastEventLogID()
        try await database.logEvents(["Processing has started,",
                                      ids.count == 1 ? "One campaign to process." : "\(ids.count) campaigns to process."])
        // EHLO = PHPList's config `domain`, as PHPMailer's Helo is set, unless the relay URL names one.
        var settings = self.settings
        if let domain = try await database.configValue("domain"), !domain.isEmpty {
            if settings.relay.heloName == "localhost" { settings.relay.heloName = domain }
            for index in settings.relays.indices where settings.relays[index].smtp.heloName == "localhost" {
                settings.relays[index].smtp.heloName = domain
            }
        }
        let loader = CampaignLoader(database: database, settings: settings)
        let sender = CampaignSender(database: database, settings: settings, logger: logger, shutdown: shutdown,
                                    ledger: ledger, relayPool: relayPool)
        for id in ids where shutdown.reason == nil {
            do {
                let result = try await sender.run(try await loader.load(id: id))
                report.campaigns.append(result)
                if case .unfinished(let remaining, let failure) = result.ending {
                    report.failures.append(.campaignUnfinished(id: id, remaining: remaining, lastFailure: failure))
                }
            } catch let error as WorkerError {
                report.failures.append(error)
            }
        }
        let lines = try await database.eventLogLines(after: eventsBefore)
        try await database.logEvents(["Finished this run"])
        // PHPList reports a run only when it processed someone ("nothingtodo" otherwise): a service polling a
        // campaign that cannot start does not mail its admin at every poll.
        if settings.sendQueueReport, report.campaigns.contains(where: { $0.processed > 0 }),
           let address = try await database.configValue("report_address") {
            await SystemMailer(database: database, settings: settings, logger: logger)
                .send(to: address, subject: QueueReport.subject, body: QueueReport(started: started, lines: lines).body)
        }
        return report
    }

    /// Waits while PHPList's own processqueue holds a live lock (fails at once with `--no-wait`), then
    /// inserts Facteur's row. Other Facteur workers' rows do not block: they coordinate through claims.
    private func takeLock() async throws -> SendProcessLock {
        while true {
            let holders = try await database.liveSendProcesses().filter { !$0.isFacteur }
            guard let holder = holders.first else { break }
            guard settings.waitForPHPListLock, shutdown.reason == nil else {
                throw WorkerError.queueBusy(holder: holder.ipaddress, ageSeconds: holder.ageSeconds)
            }
            logger.info("PHPList's processqueue holds the queue; waiting",
                        metadata: ["holder": "\(holder.ipaddress)", "age": "\(holder.ageSeconds)"])
            try await Task.sleep(for: settings.lockPollInterval)
        }
        return try await database.acquireSendProcessLock(ipaddress: settings.identity)
    }
}
