import PHPList

/// The ten bounce-rule actions, with processbounces' texts (PHPList 3.6.15; "Auto unsubscribed" and the
/// double space in the blacklistuser reason as PHPList actually writes them).
struct BounceRuleActions {
    let writer: PHPListBounceWriter
    let policy: BounceProcessingSettings.Policy

    static func ruleLink(_ id: Int) -> String {
        "<a href=\"./?page=bouncerule&amp;id=\(id)\" title=\"Manage the rules that determine what to do with bounced emails\">\(id)</a>"
    }

    func apply(_ rule: BounceRule, user: Int, bounce: Int) throws {
        guard let action = rule.action else { return }
        let subscriber = try writer.lockSubscriber(user)
        let email = subscriber?.email ?? ""
        let confirmed = subscriber?.confirmed ?? false
        let blacklisted = subscriber?.blacklisted ?? false
        let link = Self.ruleLink(rule.id)
        switch action {
        case .deleteuser, .deleteuserandbounce:
            try writer.logEvent("User \(email) deleted by bounce rule \(link)")
            try writer.deleteUser(user)
            if action == .deleteuserandbounce { try writer.deleteBounce(bounce) }
        case .unconfirmuser, .unconfirmuseranddeletebounce:
            if confirmed {
                try writer.logEvent("User \(email) unconfirmed by bounce rule \(link)")
                try writer.setConfirmed(user, false)
                try writer.addUserHistory(email: email, summary: action == .unconfirmuser ? "Auto Unconfirmed" : "Auto unconfirmed",
                                          detail: "Subscriber auto unconfirmed for bounce rule \(rule.id)")
                try writer.addSubscriberStatistics("auto unsubscribe")
            }
            if action == .unconfirmuseranddeletebounce { try writer.deleteBounce(bounce) }
        case .blacklistuser, .blacklistuseranddeletebounce:
            if !blacklisted {
                try writer.logEvent("User \(email) blacklisted by bounce rule \(link)")
                let reason = action == .blacklistuser
                    ? "Subscriber auto blacklisted  by bounce rule" : "Subscriber auto blacklisted by bounce rule \(rule.id)"
                try writer.addUserToBlacklist(email: email, reason: reason)
                try writer.addUserHistory(email: email, summary: "Auto unsubscribed",
                                          detail: "User auto unsubscribed for bounce rule \(rule.id)")
                try writer.addSubscriberStatistics("auto blacklist")
            }
            if action == .blacklistuseranddeletebounce { try writer.deleteBounce(bounce) }
        case .blacklistemail, .blacklistemailanddeletebounce:
            try writer.logEvent("email \(email) blacklisted by bounce rule \(link)")
            try writer.addEmailToBlacklist(email: email, reason: "Email address auto blacklisted by bounce rule \(rule.id)")
            try writer.addUserHistory(email: email, summary: "Auto unsubscribed",
                                      detail: action == .blacklistemail ? "email auto unsubscribed for bounce rule \(rule.id)"
                                          : "User auto unsubscribed for bounce rule \(rule.id)")
            try writer.addSubscriberStatistics("auto blacklist")
            if action == .blacklistemailanddeletebounce { try writer.deleteBounce(bounce) }
        case .decreasecountconfirmuseranddeletebounce:
            // PHPList 3.6.15 offers this action in its UI but processbounces has no case for it: nothing
            // happens beyond the match. The facteur policy does what the name says.
            guard policy == .facteur, subscriber != nil else { return }
            try writer.connection.execute(
                "UPDATE \(writer.tables.user) SET bouncecount = GREATEST(bouncecount - 1, 0), confirmed = 1 WHERE id = ?", [user])
            try writer.addUserHistory(user: user, summary: "Auto confirmed",
                                      detail: "Bounce count decreased and subscriber confirmed by bounce rule \(rule.id)")
            try writer.deleteBounce(bounce)
        case .deletebounce:
            try writer.deleteBounce(bounce)
        }
    }
}
