import Compose
import PHPList

/// `facteur bench compose`: a campaign as the worker loads it (template, attachments, tracked links,
/// PHPList's config), rendered for the campaign's own pending recipients over and over on one thread.
/// Only loading touches the database; the measured loop is composition alone.
public struct CampaignComposeBenchmark: Sendable {
    let database: PHPListDatabase
    let settings: WorkerSettings

    public init(database: PHPListDatabase, settings: WorkerSettings) {
        self.database = database
        self.settings = settings
    }

    public func run(campaign id: Int, subscribers limit: Int, seconds: Double) async throws -> ComposeBenchmark.Result {
        var loaded = try await CampaignLoader(database: database, settings: settings).load(id: id)
        let recipients = try await database.recipientPage(campaign: id, lists: loaded.lists, afterID: 0, limit: limit,
                                                          attributes: loaded.attributes)
        guard !recipients.isEmpty else { throw WorkerError.benchmarkHasNoRecipients(campaign: id) }
        let subscribers = recipients.map(\.subscriberFields)
        // Links personalised per subscriber need their forward rows first, as a send files them.
        let missing = Dictionary(subscribers.flatMap { loaded.compiled.trackedLinks(for: $0) }
            .filter { loaded.tracking[$0.url] == nil }.map { ($0.url, $0.personalise) }, uniquingKeysWith: { a, _ in a })
        if !missing.isEmpty {
            let forwards = try await database.ensureLinkTrackForwards(missing.map { (url: $0.key, personalise: $0.value) })
            for (url, forward) in forwards { loaded.tracking.forwardUUIDByURL[url] = forward.uuid }
        }
        return try ComposeBenchmark.run(compiled: loaded.compiled, compileSeconds: loaded.compileSeconds,
                                        subscribers: subscribers, tracking: loaded.tracking, duration: seconds)
    }
}
