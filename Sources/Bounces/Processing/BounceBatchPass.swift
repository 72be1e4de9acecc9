import Logging
import MariaDB
import PHPList

/// What the end-of-batch pass did.
public struct BounceBatchSummary: Sendable, Equatable {
    /// `unidentified bounce` rows identified on a second look (new subscribers since).
    public var reidentified = 0
    /// (rule, bounce) pairs matched for the first time, and the actions they took.
    public var ruleMatches = 0
    /// Subscribers unconfirmed / addresses blacklisted by the consecutive-bounce threshold.
    public var unconfirmedByThreshold = 0
    public var blacklistedByThreshold = 0

    public init() {}
}

extension BounceProcessor {
    /// processbounces' end of run: re-reads the `unidentified bounce` rows (not while VERP is on: a
    /// forged bounce must stay unidentified), applies the active bounce rules to bounces no rule matched
    /// yet (each rule acts once per bounce and counts distinct bounces), then unconfirms subscribers over
    /// `$bounce_unsubscribe_threshold` consecutive bounced campaigns (and blacklists over BLACKLIST_EMAIL_ON_BOUNCE).
    public func applyRulesAndThresholds() async throws -> BounceBatchSummary {
        var summary = BounceBatchSummary()
        if settings.verp == nil {
            summary.reidentified = try await reprocessUnidentified()
        }
        summary.ruleMatches = try await applyBounceRules()
        let (unconfirmed, blacklisted) = try await applyConsecutiveThreshold()
        summary.unconfirmedByThreshold = unconfirmed
        summary.blacklistedByThreshold = blacklisted
        logger.info("bounce batch pass done", metadata: [
            "reidentified": "\(summary.reidentified)", "rule_matches": "\(summary.ruleMatches)",
            "unconfirmed": "\(unconfirmed)", "blacklisted": "\(blacklisted)",
        ])
        return summary
    }

    /// PHPList re-parses every `unidentified bounce` with findUserID/findMessageId on decodeBody(header, data).
    func reprocessUnidentified() async throws -> Int {
        let tables = database.tables
        let rows = try await database.pool.query(
            "SELECT id, COALESCE(header, '') AS header, data FROM \(tables.bounce) WHERE status = 'unidentified bounce' ORDER BY id")
        var count = 0
        for row in rows {
            let id: Int = try row.decode("id")
            let header = Array((try row.decode("header", as: String.self)).utf8)
            let data: [UInt8]
            switch row["data"] {
            case .bytes(let bytes): data = bytes
            case .string(let text): data = Array(text.utf8)
            default: data = []
            }
            let body = PHPListBounceView.decodeBody(header: header, body: data)
            let messageID = PHPListHeaderSearch.messageID(in: body)
            let token = PHPListHeaderSearch.subscriberToken(in: body)
            let candidates = PHPListHeaderSearch.addressCandidates(in: body)
            let written = try await database.pool.transaction { connection -> Bool in
                let writer = PHPListBounceWriter(connection: connection, tables: tables)
                var user: Int?
                if let token {
                    if token.contains("@") {
                        user = try writer.userID(email: token)
                    } else if token.count == 1, let digit = token.first?.wholeNumberValue {
                        user = digit == 0 ? nil : digit
                    } else if !token.isEmpty {
                        user = try writer.userID(uniqid: token)
                    }
                }
                if user == nil {
                    for address in candidates {
                        if let id = try writer.userID(email: address) { user = id; break }
                    }
                }
                guard user != nil || !PHPListHeaderSearch.isPHPEmpty(messageID) else { return false }
                let plan = try PHPListBounceCases(writer: writer).apply(bounce: id, messageID: messageID, userID: user, bounceDate: nil)
                return plan.status != "unidentified bounce"
            }
            if written { count += 1 }
        }
        return count
    }

    func applyBounceRules() async throws -> Int {
        let tables = database.tables
        let rules = try await database.pool.withConnection {
            try PHPListBounceWriter(connection: $0, tables: tables).activeBounceRules()
        }
        guard !rules.isEmpty else { return 0 }
        let matcher = BounceRuleMatcher(rules: rules)
        let policy = settings.policy
        var matched = 0
        var after = 0
        while true {
            let page = try await database.unmatchedLinkedBounces(after: after, limit: 500)
            guard let last = page.last else { break }
            after = last.bounce
            for linked in page {
                guard let rule = matcher.firstMatch(header: linked.header, data: linked.data) else { continue }
                let acted = try await database.pool.transaction { connection -> Bool in
                    let writer = PHPListBounceWriter(connection: connection, tables: tables)
                    guard try writer.linkRule(rule.id, bounce: linked.bounce) else { return false }
                    try BounceRuleActions(writer: writer, policy: policy).apply(rule, user: linked.user, bounce: linked.bounce)
                    return true
                }
                if acted { matched += 1 }
            }
        }
        return matched
    }

    func applyConsecutiveThreshold() async throws -> (Int, Int) {
        let tables = database.tables
        let threshold = settings.unsubscribeThreshold
        let blacklistThreshold = settings.blacklistThreshold
        var unconfirmed = 0
        var blacklisted = 0
        for user in try await database.confirmedSubscribersWithBounces() {
            let (didUnconfirm, didBlacklist) = try await database.pool.transaction { connection -> (Bool, Bool) in
                let writer = PHPListBounceWriter(connection: connection, tables: tables)
                let walk = ConsecutiveBounces.evaluate(try writer.sentMessagesWithBounces(user: user),
                                                       threshold: threshold, blacklistThreshold: blacklistThreshold)
                guard let count = walk.unconfirmAt, let subscriber = try writer.lockSubscriber(user),
                      subscriber.confirmed, !subscriber.blacklisted else { return (false, false) }
                try writer.logEvent("User (url:<a href=\"./?page=user&amp;id=\(user)\">\(user)</a>) has consecutive bounces "
                    + "(\(count)) over threshold (\(threshold)), user marked unconfirmed")
                try writer.addUserHistory(user: user, summary: "Auto Unconfirmed",
                                          detail: "Subscriber auto unconfirmed for \(count) consecutive bounces")
                try writer.setConfirmed(user, false)
                if let over = walk.blacklistAt {
                    try writer.addEmailToBlacklist(email: subscriber.email, reason: "\(over) consecutive bounces, threshold reached")
                    return (true, true)
                }
                return (true, false)
            }
            if didUnconfirm { unconfirmed += 1 }
            if didBlacklist { blacklisted += 1 }
        }
        return (unconfirmed, blacklisted)
    }
}
