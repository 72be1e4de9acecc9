import Compose
import Foundation
import Logging
import PHPList
import Relaying

/// How one campaign's run ended.
public struct CampaignResult: Sendable, Equatable {
    public enum Ending: Sendable, Equatable {
        /// Every subscriber handled: status 'sent'.
        case finished
        /// The admin suspended it (or set it back to draft) while sending.
        case stopped(status: String)
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

    func run(_ loaded: LoadedCampaign) async throws -> CampaignResult {
        var loaded = loaded
        let id = loaded.campaign.id
        var logger = logger
        logger[metadataKey: "campaign"] = "\(id)"
        _ = try await database.markCampaignInProcess(id: id)
        try await database.setMessageDataNowIfAbsent(campaign: id, name: "start_notified")
        try await database.logEvents(["Processing campaign \(id)", "Looking for subscribers"])
        let total = try await database.pendingRecipientCount(campaign: id, lists: loaded.lists)
        try await database.logEvents(["Found them: \(total) to process"])
        var progress = CampaignProgress(total: total)
        try await database.setMessageData(campaign: id, progress.messageData())

        let suspended = StopFlag()
        let stop = StopFlag.either(suspended, shutdown)
        let watcher = Task { await watchStatus(campaign: id, stop: suspended) }
        defer { watcher.cancel() }

        var pass = 0
        var transientThisPass = 0
        repeat {
            let recovered = try await ledger.recoverDeadClaims(campaign: id)
            if recovered > 0 {
                logger.notice("recovered claims of a dead worker", metadata: ["count": "\(recovered)"])
            }
            let dispatcher = RelayDispatcher(pool: relayPool, relays: settings.allRelays, providers: settings.relaying.providers,
                                             relayAttempts: settings.relaying.relayAttempts, logger: logger)
            var books = Settlement()
            // Sender tasks run while pages are read, claimed and settled: a page's slow messages never
            // hold back the next page.
            let sending = Task { await dispatcher.run(concurrency: settings.connections, stop: stop) }
            do {
                var cursor = 0
                while stop.reason == nil {
                    // Keep a few pages ahead of the relays, not the whole audience.
                    while dispatcher.outstanding >= settings.batchSize * 4, stop.reason == nil {
                        try await settle(dispatcher.takeResults(), books: &books, loaded: loaded, progress: &progress)
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    let page = try await database.recipientPage(
                        campaign: id, lists: loaded.lists, afterID: cursor, limit: settings.batchSize,
                        attributes: loaded.attributes)
                    guard let last = page.last else { break }
                    cursor = last.id
                    try await submit(page, loaded: &loaded, dispatcher: dispatcher, books: &books, progress: &progress)
                    try await settle(dispatcher.takeResults(), books: &books, loaded: loaded, progress: &progress)
                    try await database.setMessageData(campaign: id, progress.messageData())
                }
                dispatcher.finishSubmitting()
                while dispatcher.outstanding > 0 {
                    try await settle(dispatcher.takeResults(), books: &books, loaded: loaded, progress: &progress)
                    try await Task.sleep(for: .milliseconds(5))
                }
            } catch {
                dispatcher.finishSubmitting()
                stop.stop("error: \(error)")
                await sending.value
                await dispatcher.close()
                throw error
            }
            await sending.value
            try await settle(dispatcher.takeResults(), books: &books, loaded: loaded, progress: &progress)
            try await database.setMessageData(campaign: id, progress.messageData())
            await dispatcher.close()
            transientThisPass = books.transient
            pass += 1
            if transientThisPass > 0, stop.reason == nil, pass <= settings.maxRetryPasses {
                logger.info("retrying subscribers after transient failures",
                            metadata: ["count": "\(transientThisPass)", "pass": "\(pass)"])
                try? await Task.sleep(for: settings.retryDelay)
            }
        } while transientThisPass > 0 && stop.reason == nil && pass <= settings.maxRetryPasses

        let seconds = Date().timeIntervalSince(progress.started)
        func result(_ ending: CampaignResult.Ending) -> CampaignResult {
            CampaignResult(campaignID: id, ending: ending, sent: progress.sent, invalid: progress.invalid,
                           bounced: progress.bounced, processed: progress.processed, seconds: seconds)
        }
        if let reason = stop.reason {
            let status = try await database.campaignStatus(id: id)?.raw ?? "deleted"
            logger.notice("campaign stopped", metadata: ["reason": "\(reason)"])
            return result(.stopped(status: status))
        }
        let remaining = try await database.pendingRecipientCount(campaign: id, lists: loaded.lists)
        let active = try await database.activeClaimCount(campaign: id)
        guard remaining == 0 && active == 0 else {
            return result(.unfinished(remaining: remaining + active, lastFailure: progress.lastFailure ?? "unknown"))
        }
        try await database.markCampaignSent(id: id)
        try await database.setMessageDataNow(campaign: id, name: "end_notified")
        try await database.logEvents(progress.summaryLines())
        return result(.finished)
    }

    /// What one pass has handed to the relays and not yet written back, per ledger batch.
    struct Settlement {
        var remaining: [Int: Int] = [:]
        var transient = 0
    }

    /// Claims one page, records the invalid addresses and queues the rest for the relays.
    private func submit(_ page: [QueueRecipient], loaded: inout LoadedCampaign, dispatcher: RelayDispatcher,
                        books: inout Settlement, progress: inout CampaignProgress) async throws {
        let id = loaded.campaign.id
        let claimed = Set(try await database.claimRecipients(campaign: id, userIDs: page.map(\.id)))
        let mine = page.filter { claimed.contains($0.id) }
        let batch = try await ledger.record(campaign: id, userIDs: mine.map(\.id))
        var invalid: [(id: Int, email: String)] = []
        var jobs: [DeliveryJob] = []
        for r in mine {
            if EmailAddressValidator.isValid(r.email, tlds: loaded.tlds) {
                jobs.append(DeliveryJob(subscriber: SubscriberFields(
                    id: r.id, email: r.email, uniqid: r.uniqid, uuid: r.uuid, htmlEmail: r.htmlEmail,
                    attributes: r.attributes, listNames: r.listNames)))
            } else {
                invalid.append((r.id, r.email))
            }
        }
        if loaded.compiled.hasSubscriberDependentLinks { try await fileDependentLinks(jobs, loaded: &loaded) }
        try await database.recordInvalidAddresses(campaign: id, invalid)
        if !invalid.isEmpty {
            try await database.addCampaignCounters(id: id, processed: invalid.count, formats: [:])
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
    private func settle(_ settled: [RelayDispatcher.Settled], books: inout Settlement, loaded: LoadedCampaign,
                        progress: inout CampaignProgress) async throws {
        guard !settled.isEmpty else { return }
        let id = loaded.campaign.id
        var sentIDs: [Int] = []
        var transientIDs: [Int] = []
        var rejections: [RelayRejection] = []
        var formats: [String: Int] = [:]
        var linkTotals: [Int: Int] = [:]
        var finishedBatches: [Int] = []
        for item in settled {
            let result = item.result
            switch result.outcome {
            case .delivered(let counter, let urls):
                sentIDs.append(result.subscriberID)
                formats[counter.rawValue, default: 0] += 1
                for url in urls { if let forward = loaded.forwardIDs[url] { linkTotals[forward, default: 0] += 1 } }
            case .transient(let reason):
                transientIDs.append(result.subscriberID)
                progress.lastFailure = reason
            case .permanent(let reply):
                rejections.append(RelayRejection(userID: result.subscriberID, email: result.email,
                                                 relay: result.relay.isEmpty ? settings.relay.name : result.relay, reply: reply))
                progress.lastFailure = reply
            }
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
        try await database.settleClaims(campaign: id, userIDs: sentIDs, status: "sent")
        try await database.recordRelayRejections(campaign: id, rejections)
        for batch in finishedBatches { try await ledger.drop(batch) }
        try await database.releaseClaims(campaign: id, userIDs: transientIDs)
        let processed = sentIDs.count + rejections.count
        try await database.addCampaignCounters(id: id, processed: processed, formats: formats)
        try await database.addLinkTrackTotals(campaign: id, totals: linkTotals)
        progress.processed += processed
        progress.sent += sentIDs.count
        progress.bounced += rejections.count
        books.transient += transientIDs.count
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
    private func watchStatus(campaign: Int, stop: StopFlag) async {
        while !Task.isCancelled && stop.reason == nil {
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
