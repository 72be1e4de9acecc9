import Compose
import Foundation
import Logging
import PHPList

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
        let stop = StopFlag.either(suspended, shutdown)
        let lanes = (0..<settings.connections).map { _ in RelayLane(relay: settings.relay, dkim: settings.dkim, logger: logger) }
        let watcher = Task { await watchStatus(campaign: id, stop: suspended) }
        defer { watcher.cancel() }

        var pass = 0
        var transientThisPass = 0
        repeat {
            let recovered = try await patience.run("recover dead claims") { try await ledger.recoverDeadClaims(campaign: id) }
            if recovered > 0 {
                logger.notice("recovered claims of a dead worker", metadata: ["count": "\(recovered)"])
            }
            transientThisPass = 0
            var cursor = 0
            while stop.reason == nil {
                let lists = loaded.lists, attributes = loaded.attributes
                let page = try await patience.run("read recipients") {
                    try await database.recipientPage(campaign: id, lists: lists, afterID: cursor,
                                                     limit: settings.batchSize, attributes: attributes)
                }
                guard let last = page.last else { break }
                cursor = last.id
                let counts = try await processBatch(page, loaded: &loaded, lanes: lanes, stop: stop,
                                                    progress: &progress)
                transientThisPass += counts
                let keys = progress.messageData()
                try await patience.run("write progress") { try await database.setMessageData(campaign: id, keys) }
            }
            pass += 1
            if transientThisPass > 0, stop.reason == nil, pass <= settings.maxRetryPasses {
                logger.info("retrying subscribers after transient failures",
                            metadata: ["count": "\(transientThisPass)", "pass": "\(pass)"])
                try? await Task.sleep(for: settings.retryDelay)
            }
        } while transientThisPass > 0 && stop.reason == nil && pass <= settings.maxRetryPasses
        for lane in lanes { await lane.close() }

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
        let lists = loaded.lists
        let remaining = try await patience.run("count what is left") {
            try await database.pendingRecipientCount(campaign: id, lists: lists)
        }
        let active = try await patience.run("count claims") { try await database.activeClaimCount(campaign: id) }
        if remaining == 0 && active > 0, try await ledger.liveClaimsOfOthers(campaign: id) >= active {
            // Other workers are sending the rest; the last of them marks the campaign sent.
            logger.info("campaign continued by other workers", metadata: ["inFlight": "\(active)"])
            return result(.continuedByOtherWorkers(inFlight: active))
        }
        guard remaining == 0 && active == 0 else {
            return result(.unfinished(remaining: remaining + active, lastFailure: progress.lastFailure ?? "unknown"))
        }
        if let copy = try await database.repeatCampaign(id: id) {
            logger.info("campaign repeated", metadata: ["copy": "\(copy)"])
        }
        try await database.markCampaignSent(id: id)
        try await notifications.campaignFinished(loaded.campaign)
        try await database.logEvents(progress.summaryLines())
        return result(.finished)
    }

    /// Claims, sends and settles one page. Returns how many subscribers failed transiently.
    private func processBatch(_ page: [QueueRecipient], loaded: inout LoadedCampaign, lanes: [RelayLane],
                              stop: StopFlag, progress: inout CampaignProgress) async throws -> Int {
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
                jobs.append(DeliveryJob(subscriber: SubscriberFields(
                    id: r.id, email: r.email, uniqid: r.uniqid, uuid: r.uuid, htmlEmail: r.htmlEmail,
                    attributes: r.attributes, listNames: r.listNames)))
            } else {
                invalid.append((r.id, r.email))
            }
        }
        if loaded.compiled.hasSubscriberDependentLinks { try await fileDependentLinks(jobs, loaded: &loaded) }
        try await patience.run("record invalid addresses") {
            try await database.recordInvalidAddresses(campaign: id, invalid)
        }

        // Round-robin slices, one per connection, sent concurrently.
        var slices = Array(repeating: [DeliveryJob](), count: lanes.count)
        for (i, job) in jobs.enumerated() { slices[i % lanes.count].append(job) }
        let compiled = loaded.compiled
        let tracking = loaded.tracking
        let results = await withTaskGroup(of: [DeliveryResult].self) { group in
            for (lane, slice) in zip(lanes, slices) where !slice.isEmpty {
                group.addTask { await lane.deliver(slice, campaign: compiled, tracking: tracking, stop: stop) }
            }
            var all: [DeliveryResult] = []
            for await part in group { all += part }
            return all
        }

        var sentIDs: [Int] = []
        var transientIDs: [Int] = []
        var rejections: [RelayRejection] = []
        var formats: [String: Int] = [:]
        var linkTotals: [Int: Int] = [:]
        for result in results {
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
                                                 relay: settings.relay.name, reply: reply))
                progress.lastFailure = reply
            }
        }
        // Outcomes first, then the ledger row, then the returned claims: dying in between can strand a
        // claim (the campaign then reports it unfinished) but never lets a subscriber be sent twice.
        // Each step waits out a database restart: the relays' answers are only in memory until written.
        try await patience.run("mark sent") { try await database.settleClaims(campaign: id, userIDs: sentIDs, status: "sent") }
        CrashPoint.reached(.midBatch)
        try await patience.run("record refusals") { try await database.recordRelayRejections(campaign: id, rejections) }
        try await patience.run("drop claim record") { try await ledger.drop(batch) }
        try await patience.run("return claims") { try await database.releaseClaims(campaign: id, userIDs: transientIDs) }
        let processed = sentIDs.count + invalid.count + rejections.count
        try await patience.run("count") {
            try await database.addCampaignCounters(id: id, processed: processed, formats: formats)
            try await database.addLinkTrackTotals(campaign: id, totals: linkTotals)
        }
        progress.processed += processed
        progress.sent += sentIDs.count
        progress.invalid += invalid.count
        progress.bounced += rejections.count
        return transientIDs.count
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
