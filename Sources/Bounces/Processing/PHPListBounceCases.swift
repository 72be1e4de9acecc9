import PHPList

/// processBounceData (PHPList 3.6.15): the bounce row's status and comment, and the rows each case adds.
struct PHPListBounceCases {
    let writer: PHPListBounceWriter

    struct Written {
        var status: String
        var comment: String
        var campaign: Int?
        var user: Int?
    }

    /// `messageID` is the text PHPList found (`"0"` and `""` count as none, `"systemmessage"` is special,
    /// anything else is read as an integer); `userID` the subscriber id found, if any.
    func apply(bounce: Int, messageID: String?, userID: Int?, bounceDate: Int?) throws -> Written {
        let hasMessage = !PHPListHeaderSearch.isPHPEmpty(messageID)
        let isSystem = messageID == "systemmessage"
        let campaign = messageID.map(PHPListHeaderSearch.phpInt) ?? 0
        if isSystem, let user = userID {
            let written = Written(status: "bounced system message", comment: "\(user) marked unconfirmed", campaign: -1, user: user)
            try writer.setStatus(bounce: bounce, status: written.status, comment: written.comment)
            // The bounce's own date, "as processing may be different".
            try writer.insertUserMessageBounce(user: user, message: -1, bounce: bounce, unixTime: bounceDate)
            try writer.logEvent("\(user) system message bounced, user marked unconfirmed")
            if let email = try writer.lockSubscriber(user)?.email {
                try writer.addUserHistory(email: email, summary: "Bounced system message", detail: "\n    <br/>User marked unconfirmed\n    <br/><a href=\"./?page=bounce&amp;id=\(bounce)\">View Bounce</a>\n\n    ")
            }
            try writer.setConfirmed(user, false)
            return written
        }
        if hasMessage, let user = userID {
            if try writer.userMessageBounceCount(user: user, message: campaign) == 0 {
                try writer.insertUserMessageBounce(user: user, message: campaign, bounce: bounce)
                let written = Written(status: "bounced list message \(campaign)", comment: "\(user) bouncecount increased",
                                      campaign: campaign, user: user)
                try writer.setStatus(bounce: bounce, status: written.status, comment: written.comment)
                try writer.incrementUserBounceCount(user)
                // Last, so the campaign row every concurrent bounce updates stays locked for the shortest time.
                try writer.incrementMessageBounceCount(campaign)
                return written
            }
            // The relation is recorded, the counters are not increased.
            try writer.insertUserMessageBounce(user: user, message: campaign, bounce: bounce)
            let written = Written(status: "duplicate bounce for \(user)",
                                  comment: "duplicate bounce for subscriber \(user) on message \(campaign)",
                                  campaign: campaign, user: user)
            try writer.setStatus(bounce: bounce, status: written.status, comment: written.comment)
            return written
        }
        if let user = userID {
            let written = Written(status: "bounced unidentified message", comment: "\(user) bouncecount increased", user: user)
            try writer.setStatus(bounce: bounce, status: written.status, comment: written.comment)
            try writer.incrementUserBounceCount(user)
            return written
        }
        if isSystem {
            let written = Written(status: "bounced system message", comment: "unknown user")
            try writer.setStatus(bounce: bounce, status: written.status, comment: written.comment)
            try writer.logEvent("0 system message bounced, but unknown user")
            return written
        }
        if hasMessage {
            let written = Written(status: "bounced list message \(campaign)", comment: "unknown user", campaign: campaign)
            try writer.setStatus(bounce: bounce, status: written.status, comment: written.comment)
            try writer.incrementMessageBounceCount(campaign)
            return written
        }
        let written = Written(status: "unidentified bounce", comment: "not processed")
        try writer.setStatus(bounce: bounce, status: written.status, comment: written.comment)
        return written
    }

    /// Policy `facteur`: an auto-reply, delay notice, delivery report or ordinary mail is kept in `bounce`
    /// with a status saying so, and changes no counter, no `user_message_bounce`, no threshold.
    func notCounted(bounce: Int, user: Int?, messageID: String?, what: String) throws -> Written {
        let campaign = PHPListHeaderSearch.isPHPEmpty(messageID) ? nil : messageID.map(PHPListHeaderSearch.phpInt)
        let about = [user.map { "subscriber \($0)" }, campaign.map { "message \($0)" }].compactMap { $0 }.joined(separator: " on ")
        let written = Written(status: "not counted: \(what)", comment: "\(what) for \(about), not counted (bounces.policy facteur)",
                              campaign: campaign, user: user)
        try writer.setStatus(bounce: bounce, status: written.status, comment: written.comment)
        return written
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
