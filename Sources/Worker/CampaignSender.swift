import Compose
import Foundation
import Logging
import MariaDB
import PHPList
import Relaying

/// How one campaign's run ended.
public struct CampaignResult: Sendable, Equatable {
    public enum Ending: Sendable, Equatable {
        /// Every subscriber handled: status 'sent'.
        case finished
        /// The admin suspended it (or set it back to draft) while sending.
        case stopped(status: String)
        /// Every subscriber is handled or claimed by another live worker, which finishes the campaign.
        case continuedByOtherWorkers(inFlight: Int)
        /// Subscribers remain after the retries; status stays 'inprocess'.
        case unfinished(remaining: Int, lastFailure: String)
    }

    public let campaignID: Int
    public let ending: Ending
    public let sent: Int
    public let invalid: Int
    public let bounced: Int
    public let processed: Int
    public let seconds: Double
}

/// Sends one campaign as processqueue does: recipients page by page, each claimed (`active`) before it is
/// handed to the relay, outcomes written back in batches, status re-read while sending.
struct CampaignSender: Sendable {
    let database: PHPListDatabase
    let settings: WorkerSettings
    let logger: Logger
    /// Set from outside to stop gracefully (SIGTERM): in-flight messages finish, other claims are returned.
    let shutdown: StopFlag
    /// Who holds which claims, for the recovery of a dead worker's.
    let ledger: ClaimLedger
    /// The relays, their health and speed; shared by the campaigns of one run.
    let relayPool: RelayPool

    private var patience: DatabasePatience { DatabasePatience(logger: logger) }

    func run(_ loaded: LoadedCampaign) async throws -> CampaignResult {
        var loaded = loaded
        let id = loaded.campaign.id
        var logger = logger
        logger[metadataKey: "campaign"] = "\(id)"
        _ = try await database.markCampaignInProcess(id: id)
        let notifications = CampaignNotifications(
            database: database, settings: settings, mailer: SystemMailer(database: database, settings: settings, logger: logger))
        try await notifications.campaignStarted(loaded.campaign)
        try await database.logEvents(["Processing campaign \(id)", "Looking for subscribers"])
        try await database.excludeListMembers(campaign: id, lists: loaded.excludedLists)
        let total = try await database.pendingRecipientCount(campaign: id, lists: loaded.lists)
        try await database.logEvents(["Found them: \(total) to process"])
        var progress = CampaignProgress(total: total)
        try await database.setMessageData(campaign: id, progress.messageData())

        let suspended = StopFlag()
        // finishsending: past it, processqueue stops sending and closes the campaign as sent.
        let expired = StopFlag()
        let stop = StopFlag(sources: [suspended, shutdown, expired])
        let finishSending = loaded.finishSending
        let watcher = Task { await watchStatus(campaign: id, stop: suspended, finishSending: finishSending, expired: expired) }
        defer { watcher.cancel() }

        let retries = RetryStore(pool: database.pool)
        var domains = DomainBackoff(schedule: settings.relaying.retry)
        var pass = 0
        var again = false
        repeat {
            let recovered = try await patience.run("recover dead claims") { try await ledger.recoverDeadClaims(campaign: id) }
            if recovered > 0 {
                logger.notice("recovered claims of a dead worker", metadata: ["count": "\(recovered)"])
            }
            let marks = SentMarks { [database, patience] userIDs in
                // The batched settlement writes them again if this fails.
                (try? await patience.run("mark sent") {
                    try await database.settleClaims(campaign: id, userIDs: userIDs, status: "sent")
                }) != nil
            }
            let dispatcher = RelayDispatcher(pool: relayPool, relays: settings.allRelays, providers: settings.relaying.providers,
                                             relayAttempts: settings.relaying.relayAttempts, dkim: settings.dkim,
                                             onDelivered: { await marks.mark($0) }, metrics: settings.metrics, logger: logger)
            var books = Settlement()
            // Sender tasks run while pages are read, claimed and settled: a page's slow messages never
            // hold back the next page.
            let sending = Task { await dispatcher.run(concurrency: settings.connections, stop: stop) }
            do {
                var cursor = 0
                while stop.reason == nil {
                    // Keep a few pages ahead of the relays, not the whole audience.
                    while dispatcher.outstanding >= settings.batchSize * 4, stop.reason == nil {
                        try await settle(dispatcher.takeResults(), books: &books, domains: &domains, loaded: loaded, progress: &progress)
                        try await Task.sleep(for: Self.settleInterval)
                    }
                    let lists = loaded.lists, attributes = loaded.attributes
                    let page = try await patience.run("read recipients") {
                        try await database.recipientPage(campaign: id, lists: lists, afterID: cursor,
                                                         limit: settings.batchSize, attributes: attributes)
                    }
                    guard let last = page.last else { break }
                    cursor = last.id
                    try await submit(page, loaded: &loaded, dispatcher: dispatcher, books: &books, progress: &progress)
                    try await settle(dispatcher.takeResults(), books: &books, domains: &domains, loaded: loaded, progress: &progress)
                    let keys = progress.messageData()
                    try await patience.run("write progress") { try await database.setMessageData(campaign: id, keys) }
                    await publishStatistics(&books)
                }
                // Subscribers whose retry is due ('todo' in usermessage, a row in facteur_retries).
                if stop.reason == nil {
                    let due = try await retries.due(campaign: id, at: Date(), limit: 10_000)
                    if !due.isEmpty {
                        try await submitRetries(due, loaded: &loaded, dispatcher: dispatcher, books: &books)
                    }
                }
                dispatcher.finishSubmitting()
                while dispatcher.outstanding > 0 {
                    if let reason = stop.reason { dispatcher.returnQueued(reason: reason) }
                    try await settle(dispatcher.takeResults(), books: &books, domains: &domains, loaded: loaded, progress: &progress)
                    try await Task.sleep(for: Self.settleInterval)
                }
            } catch {
                dispatcher.finishSubmitting()
                stop.stop("error: \(error)")
                await sending.value
                await dispatcher.close()
                throw error
            }
            await sending.value
            try await settle(dispatcher.takeResults(), books: &books, domains: &domains, loaded: loaded, progress: &progress)
            try await database.setMessageData(campaign: id, progress.messageData())
            await publishStatistics(&books)
            await dispatcher.close()
            pass += 1
            again = false
            if stop.reason == nil, pass <= settings.maxRetryPasses, let next = try await retries.nextDue(campaign: id) {
                let wait = max(next.timeIntervalSinceNow, Self.seconds(settings.retryDelay))
                if wait <= Self.seconds(settings.retryWaitLimit) {
                    logger.info("waiting for retries", metadata: ["seconds": "\(Int(wait.rounded(.up)))", "pass": "\(pass)"])
                    let until = Date().addingTimeInterval(wait)
                    while stop.reason == nil, Date() < until {
                        try? await Task.sleep(for: .milliseconds(min(200, max(1, Int(until.timeIntervalSinceNow * 1000)))))
                    }
                    again = true
                }
            }
        } while again && stop.reason == nil

        let seconds = Date().timeIntervalSince(progress.started)
        func result(_ ending: CampaignResult.Ending) -> CampaignResult {
            CampaignResult(campaignID: id, ending: ending, sent: progress.sent, invalid: progress.invalid,
                           bounced: progress.bounced, processed: progress.processed, seconds: seconds)
        }
        if expired.reason != nil, suspended.reason == nil, shutdown.reason == nil {
            try await database.logEvents(["Campaign sending timed out, is past date to process until"])
            logger.notice("campaign past its finishsending date: closed as sent")
            // What was claimed but not sent went back; as PHPList, the campaign is done all the same.
            if let copy = try await database.repeatCampaign(id: id) {
                logger.info("campaign repeated", metadata: ["copy": "\(copy)"])
            }
            try await database.markCampaignSent(id: id)
            try await notifications.campaignFinished(loaded.campaign)
            try await database.logEvents(progress.summaryLines())
            return result(.finished)
        }
        if let reason = stop.reason {
            let status = try await database.campaignStatus(id: id)?.raw ?? "deleted"
            logger.notice("campaign stopped", metadata: ["reason": "\(reason)"])
            return result(.stopped(status: status))
        }
        let lists = loaded.lists
        let remaining = try await patience.run("count what is left") {
            try await database.pendingRecipientCount(campaign: id, lists: lists)
        }
        let active = try await patience.run("count claims") { try await database.activeClaimCount(campaign: id) }
        // The campaign stays 'inprocess' while retries are pending; a later run sends them when due.
        let pendingRetries = try await patience.run("count retries") { try await retries.pendingCount(campaign: id) }
        if remaining == 0 && pendingRetries == 0 && active > 0, try await ledger.liveClaimsOfOthers(campaign: id) >= active {
            // Other workers are sending the rest; the last of them marks the campaign sent.
            logger.info("campaign continued by other workers", metadata: ["inFlight": "\(active)"])
            return result(.continuedByOtherWorkers(inFlight: active))
        }
        guard remaining == 0 && active == 0 && pendingRetries == 0 else {
            return result(.unfinished(remaining: remaining + active + pendingRetries, lastFailure: progress.lastFailure ?? "unknown"))
        }
        if let copy = try await database.repeatCampaign(id: id) {
            logger.info("campaign repeated", metadata: ["copy": "\(copy)"])
        }
        try await database.markCampaignSent(id: id)
        try await notifications.campaignFinished(loaded.campaign)
        try await database.logEvents(progress.summaryLines())
        return result(.finished)
    }

    /// What one pass has handed to the relays and not yet written back, per ledger batch.
    struct Settlement {
        var remaining: [Int: Int] = [:]
        var transient = 0
        /// Subscribers sent again from `facteur_retries`, with their retry row.
        var retrying: [Int: PendingRetry] = [:]
        /// Sent/deferred per provider, written to facteur_provider_stats after each page.
        var providerStats = ProviderStatsAccumulator()
        /// Circuit states last logged, to log changes only.
        var circuits: [String: CircuitBreaker.State] = [:]
        /// The provider-statistics window last applied to the controllers.
        var feedbackWindow: Date?
    }

    /// How often outcomes are written back while waiting for the relays: each write-back costs a few
    /// queries (counters, link totals, claim records) whatever its size, so it is not done every 5 ms.
    /// The page queue is 4 pages deep, so this never lets the relays run dry; progress stays well
    /// within the UI's one second.
    static let settleInterval = Duration.milliseconds(20)

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Due retries: 'todo' → 'active' (only rows still 'todo': another worker may have taken some), then
    /// queued like a page.
    private func submitRetries(_ due: [PendingRetry], loaded: inout LoadedCampaign, dispatcher: RelayDispatcher,
                               books: inout Settlement) async throws {
        let id = loaded.campaign.id
        let table = database.tables.userMessage
        let ids = due.map(\.subscriber)
        let claimed: [Int] = try await database.pool.transaction { connection in
            var claimed: [Int] = []
            for start in stride(from: 0, to: ids.count, by: 500) {
                let part = Array(ids[start..<min(ids.count, start + 500)])
                let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
                let params: [any MariaDBEncodable] = [id] + part.map { $0 as any MariaDBEncodable }
                let rows = try connection.query(
                    "SELECT userid FROM \(table) WHERE messageid = ? AND status = 'todo' AND userid IN (\(marks)) FOR UPDATE", params)
                let mine = try rows.map { try $0.decode("userid", as: Int.self) }
                guard !mine.isEmpty else { continue }
                let mineMarks = Array(repeating: "?", count: mine.count).joined(separator: ",")
                try connection.execute(
                    "UPDATE \(table) SET status = 'active', entered = NOW() WHERE messageid = ? AND userid IN (\(mineMarks))",
                    [id as any MariaDBEncodable] + mine.map { $0 as any MariaDBEncodable })
                claimed += mine
            }
            return claimed
        }
        let taken = Set(claimed)
        // Rows no longer 'todo' (sent by another path, or the usermessage row is gone): the retry is moot.
        try await RetryStore(pool: database.pool).remove(campaign: id, subscribers: ids.filter { !taken.contains($0) })
        guard !claimed.isEmpty else { return }
        let batch = try await ledger.record(campaign: id, userIDs: claimed)
        var jobs: [DeliveryJob] = []
        var gone: [Int] = []
        for retry in due where taken.contains(retry.subscriber) {
            guard let r = try await database.recipient(id: retry.subscriber, attributes: loaded.attributes) else {
                gone.append(retry.subscriber)
                continue
            }
            books.retrying[r.id] = retry
            jobs.append(DeliveryJob(subscriber: r.subscriberFields))
        }
        if !gone.isEmpty {
            try await database.releaseClaims(campaign: id, userIDs: gone)
            try await RetryStore(pool: database.pool).remove(campaign: id, subscribers: gone)
        }
        if loaded.compiled.hasSubscriberDependentLinks { try await fileDependentLinks(jobs, loaded: &loaded) }
        if jobs.isEmpty {
            try await ledger.drop(batch)
        } else {
            books.remaining[batch] = jobs.count
            dispatcher.submit(jobs, batch: batch, campaign: loaded.compiled, tracking: loaded.tracking)
        }
    }

    /// Provider counts and relay state for `facteur status` and other hosts; observability only, so a
    /// failure is logged, not fatal.
    private func publishStatistics(_ books: inout Settlement) async {
        let counts = books.providerStats.drain()
        let relays = relayPool.relayStatus()
        for relay in relays where books.circuits[relay.name, default: .closed] != relay.circuit {
            logger.notice("relay circuit \(relay.circuit.rawValue)", metadata: [
                "relay": "\(relay.name)", "allowed_rate": "\(relay.allowedRate)", "health": "\(relay.health)"])
            books.circuits[relay.name] = relay.circuit
        }
        do {
            let stats = ProviderStatsStore(pool: database.pool)
            try await stats.add(counts)
            let state = RelayStateStore(pool: database.pool)
            try await state.publish(relays, worker: settings.identity, at: Date())
            try await state.publish(providers: relayPool.providerStatus(), worker: settings.identity, at: Date())
            relayPool.withState { pool, now in pool.forgetIdleProviders(olderThan: 600, at: now) }
            // Soft bounces the bounce processor counted for a provider over the last window slow that
            // provider down (once per window: the same counts are not applied twice).
            let window = ProviderStatsStore.windowStart(of: Date()).addingTimeInterval(-ProviderStatsStore.windowSeconds)
            if books.feedbackWindow != window {
                books.feedbackWindow = window
                for provider in try await stats.totals(since: window) where provider.softBounces > 0 {
                    relayPool.withState { pool, now in
                        pool.applyProviderFeedback(provider: provider.provider, sent: provider.sent, troubled: provider.softBounces, at: now)
                    }
                }
            }
        } catch {
            logger.warning("cannot write relaying statistics (run facteur migrate?)", metadata: ["error": "\(error)"])
        }
    }

    /// Claims one page, records the invalid addresses and queues the rest for the relays.
    private func submit(_ page: [QueueRecipient], loaded: inout LoadedCampaign, dispatcher: RelayDispatcher,
                        books: inout Settlement, progress: inout CampaignProgress) async throws {
        let id = loaded.campaign.id
        let claimed = Set(try await patience.run("claim") {
            try await database.claimRecipients(campaign: id, userIDs: page.map(\.id))
        })
        let mine = page.filter { claimed.contains($0.id) }
        let batch = try await patience.run("record claims") {
            try await ledger.record(campaign: id, userIDs: mine.map(\.id))
        }
        CrashPoint.reached(.afterClaim)
        var invalid: [(id: Int, email: String)] = []
        var jobs: [DeliveryJob] = []
        for r in mine {
            if EmailAddressValidator.isValid(r.email, tlds: loaded.tlds) {
                jobs.append(DeliveryJob(subscriber: r.subscriberFields))
            } else {
                invalid.append((r.id, r.email))
            }
        }
        if loaded.compiled.hasSubscriberDependentLinks { try await fileDependentLinks(jobs, loaded: &loaded) }
        try await patience.run("record invalid addresses") {
            try await database.recordInvalidAddresses(campaign: id, invalid)
            if !invalid.isEmpty { try await database.addCampaignCounters(id: id, processed: invalid.count, formats: [:]) }
        }
        if jobs.isEmpty {
            try await ledger.drop(batch)
        } else {
            books.remaining[batch] = jobs.count
            dispatcher.submit(jobs, batch: batch, campaign: loaded.compiled, tracking: loaded.tracking)
        }
        progress.processed += invalid.count
        progress.invalid += invalid.count
    }

    /// Writes back outcomes: sent, bounced (5xx), claims given back (transient); a ledger batch's row is
    /// dropped once all its outcomes are written.
    private func settle(_ settled: [RelayDispatcher.Settled], books: inout Settlement, domains: inout DomainBackoff,
                        loaded: LoadedCampaign, progress: inout CampaignProgress) async throws {
        guard !settled.isEmpty else { return }
        let id = loaded.campaign.id
        var sentIDs: [Int] = []
        var unmarkedSentIDs: [Int] = []
        var transientIDs: [Int] = []
        var rejections: [RelayRejection] = []
        var formats: [String: Int] = [:]
        var linkTotals: [Int: Int] = [:]
        var finishedBatches: [Int] = []
        var todoIDs: [Int] = []
        var retryRows: [PendingRetry] = []
        var doneRetries: [Int] = []
        let now = Date()
        let schedule = settings.relaying.retry
        var random = SystemRandomNumberGenerator()
        for item in settled {
            let result = item.result
            let domain = ProviderTable.domain(of: result.email)
            let provider = settings.relaying.providers.provider(forDomain: domain)
            let previous = books.retrying[result.subscriberID]
            switch result.outcome {
            case .delivered(let counter, let urls):
                sentIDs.append(result.subscriberID)
                if !result.markedSent { unmarkedSentIDs.append(result.subscriberID) }
                formats[counter.rawValue, default: 0] += 1
                for url in urls { if let forward = loaded.forwardIDs[url] { linkTotals[forward, default: 0] += 1 } }
                books.providerStats.record(provider: provider, .delivered(latency: 0), at: now)
                domains.recordDelivery(domain: domain)
                if previous != nil { doneRetries.append(result.subscriberID) }
            case .notAttempted(let reason):
                // A retry goes back to 'todo' and keeps its row; a first attempt is simply given back.
                if previous != nil { todoIDs.append(result.subscriberID) } else { transientIDs.append(result.subscriberID) }
                progress.lastFailure = reason
            case .transient(let reason):
                books.providerStats.record(provider: provider, .deferred(latency: 0), at: now)
                let attempts = (previous?.attempts ?? 0) + 1
                let first = previous?.firstAttempt ?? now
                let paused = domains.recordDeferral(domain: domain, at: now.timeIntervalSince1970,
                                                    unit: Double.random(in: 0..<1, using: &random))
                switch schedule.decide(attempts: attempts, firstAttempt: first.timeIntervalSince1970,
                                       now: now.timeIntervalSince1970, domainPausedUntil: paused, using: &random) {
                case .retry(let at):
                    todoIDs.append(result.subscriberID)
                    retryRows.append(PendingRetry(campaign: id, subscriber: result.subscriberID, attempts: attempts,
                                                  firstAttempt: first, nextAttempt: Date(timeIntervalSince1970: at),
                                                  lastReply: reason, domain: domain))
                    books.transient += 1
                case .giveUp:
                    // Out of time: recorded as a relay refusal (a bounce), as a 5xx is.
                    rejections.append(RelayRejection(
                        userID: result.subscriberID, email: result.email,
                        relay: result.relay.isEmpty ? settings.relay.name : result.relay,
                        reply: "no delivery after \(attempts) attempts in \(Int(now.timeIntervalSince(first))) s (retry.max_age \(Int(schedule.maxAge)) s); last reply: \(reason)"))
                    if previous != nil { doneRetries.append(result.subscriberID) }
                }
                progress.lastFailure = reason
            case .permanent(let reply):
                rejections.append(RelayRejection(userID: result.subscriberID, email: result.email,
                                                 relay: result.relay.isEmpty ? settings.relay.name : result.relay, reply: reply))
                progress.lastFailure = reply
                if previous != nil { doneRetries.append(result.subscriberID) }
            }
            books.retrying[result.subscriberID] = nil
            if let left = books.remaining[item.batch] {
                if left <= 1 {
                    books.remaining[item.batch] = nil
                    finishedBatches.append(item.batch)
                } else {
                    books.remaining[item.batch] = left - 1
                }
            }
        }
        // Outcomes first, then the ledger rows, then the returned claims: dying in between can strand a
        // claim (the campaign then reports it unfinished) but never lets a subscriber be sent twice.
        // Each step waits out a database restart: the relays' answers are only in memory until written.
        // A retry's row is written before its usermessage row says 'todo', so 'todo' always has a schedule.
        let retryStore = RetryStore(pool: database.pool)
        try await patience.run("schedule retries") { try await retryStore.schedule(retryRows) }
        try await patience.run("mark sent") { try await database.settleClaims(campaign: id, userIDs: unmarkedSentIDs, status: "sent") }
        CrashPoint.reached(.midBatch)
        try await patience.run("record refusals") { try await database.recordRelayRejections(campaign: id, rejections) }
        try await patience.run("mark todo") { try await database.settleClaims(campaign: id, userIDs: todoIDs, status: "todo") }
        for batch in finishedBatches { try await patience.run("drop claim record") { try await ledger.drop(batch) } }
        try await patience.run("return claims") { try await database.releaseClaims(campaign: id, userIDs: transientIDs) }
        try await patience.run("forget done retries") { try await retryStore.remove(campaign: id, subscribers: doneRetries) }
        let processed = sentIDs.count + rejections.count
        // One statement per patience step: a step is redone whole after a lost connection, and redoing an
        // increment that had already been applied would count those messages twice.
        try await patience.run("count") { try await database.addCampaignCounters(id: id, processed: processed, formats: formats) }
        try await patience.run("count link clicks") { try await database.addLinkTrackTotals(campaign: id, totals: linkTotals) }
        progress.processed += processed
        progress.sent += sentIDs.count
        progress.bounced += rejections.count
    }

    /// Links whose URL depends on the subscriber get their forward rows before rendering.
    private func fileDependentLinks(_ jobs: [DeliveryJob], loaded: inout LoadedCampaign) async throws {
        var missing: [String: Bool] = [:]
        for job in jobs {
            for link in loaded.compiled.trackedLinks(for: job.subscriber) where loaded.tracking[link.url] == nil {
                missing[link.url] = link.personalise
            }
        }
        guard !missing.isEmpty else { return }
        let forwards = try await database.ensureLinkTrackForwards(missing.map { (url: $0.key, personalise: $0.value) })
        for (url, forward) in forwards {
            loaded.tracking.forwardUUIDByURL[url] = forward.uuid
            loaded.forwardIDs[url] = forward.id
        }
    }

    /// Re-reads `message.status` every `statusInterval`; sets `stop` once the admin suspended the campaign
    /// or put it back to draft (or deleted it). A database error is logged and the next read tried.
    private func watchStatus(campaign: Int, stop: StopFlag, finishSending: Date?, expired: StopFlag) async {
        while !Task.isCancelled && stop.reason == nil {
            if let finishSending, Date() > finishSending {
                expired.stop("campaign \(campaign) is past its finishsending date")
                return
            }
            do { try await Task.sleep(for: settings.statusInterval) } catch { return }
            do {
                switch try await database.campaignStatus(id: campaign) {
                case .suspended?, .draft?: stop.stop("campaign \(campaign) suspended in PHPList")
                case nil: stop.stop("campaign \(campaign) deleted")
                default: break
                }
            } catch {
                logger.warning("cannot re-read campaign status", metadata: ["error": "\(error)"])
            }
        }
    }
}
