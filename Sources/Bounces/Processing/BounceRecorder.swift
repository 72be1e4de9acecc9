import Foundation
import PHPList

/// One bounce's writes inside its transaction: the `facteur_bounce_seen` claim, identification,
/// the `bounce` row and PHPList's per-case writes, then the `facteur` policy's additions.
struct BounceRecorder {
    let writer: PHPListBounceWriter
    let settings: BounceProcessingSettings
    let analysis: BounceAnalysis
    /// Where identification finds subscribers: the database, one query at a time (the default), or maps
    /// a `BounceBatchWriter` read in bulk for its whole batch.
    var lookup: any SubscriberLookup

    init(writer: PHPListBounceWriter, settings: BounceProcessingSettings, analysis: BounceAnalysis,
         lookup: (any SubscriberLookup)? = nil) {
        self.writer = writer
        self.settings = settings
        self.analysis = analysis
        self.lookup = lookup ?? writer
    }

    /// PHPList's view of who the bounce is about: `msgid` as the string it found, `userid` resolved.
    struct Identity {
        var messageID: String?
        var userID: Int?
        var via: String?
    }

    /// Thrown inside the transaction when the message turns out to be processed already: everything this
    /// transaction wrote is rolled back.
    struct AlreadySeen: Error {}

    func record(source: String) throws -> BounceOutcome {
        let verdict = chosenRecipient()
        var outcome = BounceOutcome(disposition: .recorded, bounceID: nil, status: "", comment: "", campaignID: nil,
                                    subscriberID: nil, identifiedBy: nil, reason: verdict.reason, isHard: verdict.isHard,
                                    action: .count, sha256: analysis.sha256Hex)
        let identity = try identify()
        if settings.policy == .phplist && analysis.isExchangeDelay {
            guard try writer.recordSeen(sha256: analysis.sha256, bounce: nil, source: source, size: analysis.size) else {
                throw AlreadySeen()
            }
            outcome.disposition = .skipped
            return outcome
        }
        var action = BounceProcessingSettings.Action.count
        if settings.policy == .facteur {
            action = analysis.isExchangeDelay || verdict.isDelay ? .ignore : settings.action(for: verdict.reason, isHard: verdict.isHard)
            if analysis.parsed.kind == .nonBounce || analysis.parsed.kind == .autoReply { action = .ignore }
        }
        outcome.action = action

        let cases = PHPListBounceCases(writer: writer)
        let plan = action == .ignore && (identity.userID != nil || !PHPListHeaderSearch.isPHPEmpty(identity.messageID))
            ? cases.notCounted(user: identity.userID, messageID: identity.messageID, what: verdict.notCountedLabel)
            : try cases.plan(messageID: identity.messageID, userID: identity.userID)

        // PHPList stores an unparsable date as the epoch (strtotime false → date(…, 0)); Facteur as now.
        let date = analysis.unixDate ?? (settings.policy == .phplist ? 0 : nil)
        let bounce = try writer.insertBounce(unixDate: date, header: analysis.headerText, data: analysis.view.body,
                                             status: plan.status, comment: plan.comment)
        // Before any counter: a concurrent transaction with the same bytes waits here and then rolls back.
        guard try writer.recordSeen(sha256: analysis.sha256, bounce: bounce, source: source, size: analysis.size,
                                    reason: verdict.reason.rawValue, hard: verdict.isHard) else {
            throw AlreadySeen()
        }
        try cases.carryOut(plan, bounce: bounce, bounceDate: date)
        outcome.bounceID = bounce
        outcome.status = plan.status
        outcome.comment = plan.comment
        outcome.campaignID = plan.campaign
        outcome.subscriberID = plan.user
        outcome.identifiedBy = plan.user == nil && plan.campaign == nil ? nil : identity.via

        if settings.policy == .facteur, let user = plan.user, action == .unconfirm || action == .blacklist {
            try FacteurPolicyWrites(writer: writer).apply(action, user: user, bounce: bounce, verdict: verdict)
        }
        return outcome
    }

    // MARK: - Identification

    func identify() throws -> Identity {
        if let verp = analysis.verp {
            // While VERP is on only a correctly signed VERP address identifies anyone: a bounce without one,
            // or with a forged one, stays unidentified whatever its headers claim.
            guard case .valid(let address) = verp else { return Identity(via: nil) }
            let user = try lookup.existingSubscriber(address.subscriberID)
            return Identity(messageID: String(address.campaignID), userID: user, via: "verp")
        }
        var identity = Identity(messageID: analysis.phpMessageID, userID: nil, via: nil)
        if let token = analysis.phpSubscriberToken {
            identity.userID = try lookUp(token: token)
            identity.via = "x-listmember"
        }
        if settings.policy == .facteur {
            // Facteur reads the returned original's headers as MIME (folded, LF-only or encoded bodies
            // included), then the failed recipients the parser found, before PHPList's scan of every address.
            if PHPListHeaderSearch.isPHPEmpty(identity.messageID), let id = analysis.parsed.originalHeaders["X-MessageID"] {
                identity.messageID = id.trimmingCharacters(in: .whitespaces)
            }
            if identity.userID == nil, let member = analysis.parsed.originalHeaders["X-ListMember"] {
                identity.userID = try lookUp(token: member.trimmingCharacters(in: .whitespaces))
                identity.via = "returned-headers"
            }
            if identity.userID == nil || PHPListHeaderSearch.isPHPEmpty(identity.messageID),
               let found = try OriginalMessageIDLookup(writer: writer).identify(analysis.parsed.originalMessageID,
                                                                                  domain: settings.messageIDDomain) {
                if PHPListHeaderSearch.isPHPEmpty(identity.messageID) { identity.messageID = String(found.campaign) }
                if identity.userID == nil { (identity.userID, identity.via) = (found.subscriber, "message-id") }
            }
        }
        if identity.userID == nil {
            // One query for every address that could name the subscriber; the first in order wins.
            let failed = settings.policy == .facteur ? analysis.parsed.recipients.map(\.address).filter { !$0.isEmpty } : []
            let scanned = PHPListHeaderSearch.addressCandidates(in: analysis.view.body)
            let known = try lookup.userIDs(emails: failed + scanned)
            if let id = failed.lazy.compactMap({ known[$0.lowercased()] }).first {
                identity.userID = id
                identity.via = "failed-recipient"
            } else if let id = scanned.lazy.compactMap({ known[$0.lowercased()] }).first {
                identity.userID = id
                identity.via = "address-in-body"
            }
        }
        if let user = identity.userID { _ = try lookup.existingSubscriber(user) }
        return identity
    }

    /// findUserID's first half: an address → by email; a single digit → that id; anything else → by uniqid.
    func lookUp(token: String) throws -> Int? {
        if token.contains("@") { return try lookup.userID(email: token) }
        if token.count == 1, let digit = token.first?.wholeNumberValue, token.first!.isASCII {
            return digit == 0 ? nil : digit
        }
        if token.isEmpty { return nil }
        return try lookup.userID(uniqid: token)
    }

    // MARK: - Classification

    struct Verdict {
        var reason: BounceReason
        var isHard: Bool
        var isDelay: Bool
        var status: String?

        var notCountedLabel: String {
            if isDelay { return "delay notice" }
            switch reason {
            case .vacation: return "auto-reply"
            case .delivered: return "delivery report"
            case .none: return "not a bounce"
            default: return reason.rawValue
            }
        }
    }

    /// The addresses and uniqids `identify` may look up, and the subscriber ids it may lock without a
    /// lookup (VERP, a one-digit X-ListMember): what a batch reads in bulk beforehand.
    func lookupKeys() -> (emails: [String], uniqids: [String], ids: [Int]) {
        var emails: [String] = []
        var uniqids: [String] = []
        var ids: [Int] = []
        func token(_ token: String) {
            if token.contains("@") {
                emails.append(token)
            } else if token.count == 1, let digit = token.first?.wholeNumberValue, token.first!.isASCII {
                if digit != 0 { ids.append(digit) }
            } else if !token.isEmpty {
                uniqids.append(token)
            }
        }
        if let verp = analysis.verp {
            if case .valid(let address) = verp { ids.append(address.subscriberID) }
            return (emails, uniqids, ids)
        }
        if let subscriber = analysis.phpSubscriberToken { token(subscriber) }
        if settings.policy == .facteur {
            if let member = analysis.parsed.originalHeaders["X-ListMember"] { token(member.trimmingCharacters(in: .whitespaces)) }
            emails += analysis.parsed.recipients.map(\.address).filter { !$0.isEmpty }
        }
        emails += PHPListHeaderSearch.addressCandidates(in: analysis.view.body)
        return (emails, uniqids, ids)
    }

    /// The classifier's verdict for the recipient the bounce is about: every recipient reported only a
    /// delay or a success → not a failure; otherwise the first failed recipient.
    func chosenRecipient() -> Verdict {
        let recipients = analysis.parsed.recipients
        guard let first = recipients.first else {
            let reason: BounceReason = analysis.parsed.kind == .nonBounce ? .none : .undefined
            return Verdict(reason: reason, isHard: false, isDelay: false, status: nil)
        }
        let failed = recipients.first { $0.action == .failed || $0.action == .unknown } ?? first
        let allDelayed = recipients.allSatisfy { $0.action == .delayed }
        let allDelivered = recipients.allSatisfy { [.delivered, .relayed, .expanded].contains($0.action) }
        let reason: BounceReason = allDelivered ? .delivered : failed.reason
        return Verdict(reason: reason, isHard: failed.isHard && !allDelayed, isDelay: allDelayed,
                       status: failed.status?.description)
    }
}

/// The subscriber queries identification makes. `existingSubscriber` also locks the row until the
/// transaction ends (for a batch: the batch locked every candidate beforehand).
protocol SubscriberLookup {
    func userID(email: String) throws -> Int?
    func userID(uniqid: String) throws -> Int?
    func userIDs(emails: [String]) throws -> [String: Int]
    func existingSubscriber(_ id: Int) throws -> Int?
}

extension PHPListBounceWriter: SubscriberLookup {
    func existingSubscriber(_ id: Int) throws -> Int? { try lockSubscriber(id)?.id }
}
