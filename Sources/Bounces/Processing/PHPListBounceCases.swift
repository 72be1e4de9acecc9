import PHPList

/// processBounceData (PHPList 3.6.15): which case a bounce falls in, the bounce row's status and comment,
/// and the rows each case adds. Planned before the `bounce` row is inserted, so that row is written with
/// its status in one statement.
struct PHPListBounceCases {
    let writer: PHPListBounceWriter

    enum Case: Equatable {
        case systemMessage(user: Int)
        case listMessage(user: Int, campaign: Int)
        case duplicate(user: Int, campaign: Int)
        case userOnly(user: Int)
        case systemMessageUnknownUser
        case messageOnly(campaign: Int)
        case unidentified
        /// Policy `facteur`: kept with a status saying what it is, no counter, no `user_message_bounce`.
        case notCounted(user: Int?, campaign: Int?, what: String)
    }

    struct Plan {
        var kind: Case
        var status: String
        var comment: String
        var campaign: Int?
        var user: Int?
    }

    /// `messageID` is the text PHPList found (`"0"` and `""` count as none, `"systemmessage"` is special,
    /// anything else is read as an integer); `userID` the subscriber id found, if any.
    func plan(messageID: String?, userID: Int?) throws -> Plan {
        try plan(messageID: messageID, userID: userID) { user, campaign in
            try writer.userMessageBounceCount(user: user, message: campaign) > 0
        }
    }

    /// The same, with the duplicate test answered by the caller (a batch reads the pairs in bulk).
    func plan(messageID: String?, userID: Int?, alreadyBounced: (_ user: Int, _ campaign: Int) throws -> Bool) throws -> Plan {
        let hasMessage = !PHPListHeaderSearch.isPHPEmpty(messageID)
        let isSystem = messageID == "systemmessage"
        let campaign = messageID.map(PHPListHeaderSearch.phpInt) ?? 0
        if isSystem, let user = userID {
            return Plan(kind: .systemMessage(user: user), status: "bounced system message", comment: "\(user) marked unconfirmed",
                        campaign: -1, user: user)
        }
        if hasMessage, let user = userID {
            // "check if we already have this um as a bounce so that we don't double count".
            if try !alreadyBounced(user, campaign) {
                return Plan(kind: .listMessage(user: user, campaign: campaign), status: "bounced list message \(campaign)",
                            comment: "\(user) bouncecount increased", campaign: campaign, user: user)
            }
            return Plan(kind: .duplicate(user: user, campaign: campaign), status: "duplicate bounce for \(user)",
                        comment: "duplicate bounce for subscriber \(user) on message \(campaign)", campaign: campaign, user: user)
        }
        if let user = userID {
            return Plan(kind: .userOnly(user: user), status: "bounced unidentified message", comment: "\(user) bouncecount increased",
                        user: user)
        }
        if isSystem {
            return Plan(kind: .systemMessageUnknownUser, status: "bounced system message", comment: "unknown user")
        }
        if hasMessage {
            return Plan(kind: .messageOnly(campaign: campaign), status: "bounced list message \(campaign)", comment: "unknown user",
                        campaign: campaign)
        }
        return Plan(kind: .unidentified, status: "unidentified bounce", comment: "not processed")
    }

    /// Policy `facteur`: an auto-reply, delay notice, delivery report or ordinary mail.
    func notCounted(user: Int?, messageID: String?, what: String) -> Plan {
        let campaign = PHPListHeaderSearch.isPHPEmpty(messageID) ? nil : messageID.map(PHPListHeaderSearch.phpInt)
        let about = [user.map { "subscriber \($0)" }, campaign.map { "message \($0)" }].compactMap { $0 }.joined(separator: " on ")
        return Plan(kind: .notCounted(user: user, campaign: campaign, what: what), status: "not counted: \(what)",
                    comment: "\(what) for \(about), not counted (bounces.policy facteur)", campaign: campaign, user: user)
    }

    /// The rows the case adds once the `bounce` row exists (with the plan's status and comment).
    func carryOut(_ plan: Plan, bounce: Int, bounceDate: Int?) throws {
        switch plan.kind {
        case .systemMessage(let user):
            // The bounce's own date, "as processing may be different".
            try writer.insertUserMessageBounce(user: user, message: -1, bounce: bounce, unixTime: bounceDate)
            try writer.logEvent("\(user) system message bounced, user marked unconfirmed")
            if let email = try writer.lockSubscriber(user)?.email {
                try writer.addUserHistory(email: email, summary: "Bounced system message",
                                          detail: "\n    <br/>User marked unconfirmed\n    <br/><a href=\"./?page=bounce&amp;id=\(bounce)\">View Bounce</a>\n\n    ")
            }
            try writer.setConfirmed(user, false)
        case .listMessage(let user, let campaign):
            try writer.insertUserMessageBounce(user: user, message: campaign, bounce: bounce)
            try writer.incrementUserBounceCount(user)
            // Last, so the campaign row every concurrent bounce updates stays locked for the shortest time.
            try writer.incrementMessageBounceCount(campaign)
        case .duplicate(let user, let campaign):
            // The relation is recorded, the counters are not increased.
            try writer.insertUserMessageBounce(user: user, message: campaign, bounce: bounce)
        case .userOnly(let user):
            try writer.incrementUserBounceCount(user)
        case .systemMessageUnknownUser:
            try writer.logEvent("0 system message bounced, but unknown user")
        case .messageOnly(let campaign):
            try writer.incrementMessageBounceCount(campaign)
        case .unidentified, .notCounted:
            break
        }
    }

    /// For a `bounce` row that already exists (PHPList's reprocessing of unidentified bounces).
    func apply(bounce: Int, messageID: String?, userID: Int?, bounceDate: Int?) throws -> Plan {
        let plan = try plan(messageID: messageID, userID: userID)
        try writer.setStatus(bounce: bounce, status: plan.status, comment: plan.comment)
        try carryOut(plan, bounce: bounce, bounceDate: bounceDate)
        return plan
    }
}

/// Policy `facteur`'s immediate actions on top of PHPList's counting.
struct FacteurPolicyWrites {
    let writer: PHPListBounceWriter

    func apply(_ action: BounceProcessingSettings.Action, user: Int, bounce: Int, verdict: BounceRecorder.Verdict) throws {
        guard let subscriber = try writer.lockSubscriber(user) else { return }
        let cause = [verdict.status, verdict.reason.rawValue].compactMap { $0 }.joined(separator: " ")
        switch action {
        case .unconfirm where subscriber.confirmed:
            try writer.setConfirmed(user, false)
            try writer.addUserHistory(user: user, summary: "Auto Unconfirmed",
                                      detail: "Subscriber auto unconfirmed for a hard bounce (\(cause)), bounce \(bounce)")
            try writer.logEvent("User \(subscriber.email) unconfirmed after a hard bounce (\(cause)), bounce \(bounce)")
            try writer.addSubscriberStatistics("auto unsubscribe")
        case .blacklist where !subscriber.blacklisted:
            let why = verdict.reason == .feedback ? "a complaint (feedback report)" : "a bounce (\(cause))"
            try writer.addUserToBlacklist(email: subscriber.email, reason: "Subscriber auto blacklisted after \(why), bounce \(bounce)")
            try writer.logEvent("User \(subscriber.email) blacklisted after \(why), bounce \(bounce)")
            try writer.addSubscriberStatistics("auto blacklist")
        default:
            break
        }
    }
}
