import Compose
import PHPList

/// The exact message one subscriber would receive from a campaign, for `facteur preview`. Like a send,
/// it creates the `linktrack_forward` rows its links need (so the tracked URLs are the real ones); unlike
/// a send it counts nothing, claims nothing and writes no status.
public struct CampaignPreview: Sendable {
    public enum Subscriber: Sendable {
        case id(Int)
        case email(String)
    }

    let database: PHPListDatabase
    let settings: WorkerSettings

    public init(database: PHPListDatabase, settings: WorkerSettings) {
        self.database = database
        self.settings = settings
    }

    public func message(campaign id: Int, subscriber: Subscriber) async throws -> [UInt8] {
        var loaded = try await CampaignLoader(database: database, settings: settings).load(id: id)
        let recipient: QueueRecipient?
        switch subscriber {
        case .id(let userID): recipient = try await database.recipient(id: userID, attributes: loaded.attributes)
        case .email(let email): recipient = try await database.recipient(email: email, attributes: loaded.attributes)
        }
        guard let recipient else { throw WorkerError.subscriberNotFound(subscriber.description) }
        let fields = recipient.subscriberFields
        let missing = loaded.compiled.trackedLinks(for: fields).filter { loaded.tracking[$0.url] == nil }
        if !missing.isEmpty {
            let forwards = try await database.ensureLinkTrackForwards(missing.map { (url: $0.url, personalise: $0.personalise) })
            for (url, forward) in forwards { loaded.tracking.forwardUUIDByURL[url] = forward.uuid }
        }
        do {
            let bytes = try loaded.compiled.render(for: fields, tracking: loaded.tracking).bytes
            return try settings.dkim.map { try $0.sign(bytes) } ?? bytes
        } catch {
            throw WorkerError.composeFailed(campaign: id, reason: "\(error)")
        }
    }
}

extension CampaignPreview.Subscriber: CustomStringConvertible {
    public var description: String {
        switch self {
        case .id(let id): return "id \(id)"
        case .email(let email): return email
        }
    }
}
