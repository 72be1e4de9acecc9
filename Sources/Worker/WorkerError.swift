/// Why a queue run could not finish, in words an operator can act on.
public enum WorkerError: Error, CustomStringConvertible, Sendable, Equatable {
    case queueBusy(holder: String, ageSeconds: Int)
    case campaignNotQueued(id: Int, status: String)
    case campaignHasNoLists(id: Int)
    case attachmentMissing(campaign: Int, path: String)
    case composeFailed(campaign: Int, reason: String)
    case campaignUnfinished(id: Int, remaining: Int, lastFailure: String)
    case campaignStopped(id: Int, status: String)
    case migrationsMissing(detail: String)
    case subscriberNotFound(String)
    case benchmarkHasNoRecipients(campaign: Int)

    public var description: String {
        switch self {
        case .queueBusy(let holder, let age):
            return "PHPList's processqueue is running (sendprocess row '\(holder)', alive \(age) s ago); "
                + "run again when it has finished, or without --no-wait to wait for it"
        case .campaignNotQueued(let id, let status):
            return "campaign \(id) is '\(status)', not queued: queue it in PHPList (or requeue it) first"
        case .campaignHasNoLists(let id):
            return "campaign \(id) has no lists (phplist_listmessage): choose its lists in PHPList"
        case .attachmentMissing(let campaign, let path):
            return "campaign \(campaign): attachment file \(path) cannot be read; check phplist.attachment_repository"
        case .composeFailed(let campaign, let reason):
            return "campaign \(campaign) cannot be composed: \(reason)"
        case .campaignUnfinished(let id, let remaining, let lastFailure):
            return "campaign \(id) is not finished: \(remaining) subscriber(s) still to send after retries; "
                + "last failure: \(lastFailure). It stays 'inprocess' and the next run continues it"
        case .migrationsMissing(let detail):
            return "Facteur's own tables are missing (\(detail)): run `facteur migrate` first"
        case .subscriberNotFound(let subscriber):
            return "no subscriber \(subscriber) in PHPList's user table"
        case .campaignStopped(let id, let status):
            return "campaign \(id) was set to '\(status)' in PHPList while sending; it stopped there"
        case .benchmarkHasNoRecipients(let campaign):
            return "campaign \(campaign) has no subscriber left to send to: benchmark a queued campaign "
                + "(e.g. the sample-queued database's campaign 2)"
        }
    }
}
