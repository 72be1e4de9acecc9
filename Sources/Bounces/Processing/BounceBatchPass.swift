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
    /// Done in pages of 500 with one lookup query per page, so the pass costs a few queries however many
    /// unidentified bounces have piled up; only the rows that now resolve get a transaction.
    func reprocessUnidentified() async throws -> Int {
        let tables = database.tables
        var count = 0
        var after = 0
        while true {
            let rows = try await database.pool.query(
                """
                SELECT id, COALESCE(header, '') AS header, data FROM \(tables.bounce)
                WHERE status = 'unidentified bounce' AND id > ? ORDER BY id LIMIT 500
                """, [after])
            guard let last = rows.last else { break }
            after = try last.decode("id")
            let found = try rows.map { row -> UnidentifiedRow in
                let data: [UInt8]
                switch row["data"] {
                case .bytes(let bytes): data = bytes
                case .string(let text): data = Array(text.utf8)
                default: data = []
                }
                let body = PHPListBounceView.decodeBody(header: Array((try row.decode("header", as: String.self)).utf8), body: data)
                return UnidentifiedRow(id: try row.decode("id"), messageID: PHPListHeaderSearch.messageID(in: body),
                                       token: PHPListHeaderSearch.subscriberToken(in: body),
                                       candidates: PHPListHeaderSearch.addressCandidates(in: body))
            }
            var emails = Set<String>()
            var uniqids = Set<String>()
            for row in found {
                if let token = row.token {
                    if token.contains("@") { emails.insert(token.lowercased()) } else if token.count > 1 { uniqids.insert(token) }
                }
                for candidate in row.candidates { emails.insert(candidate.lowercased()) }
            }
            let (byEmail, byUniqid) = try await subscriberIDs(emails: Array(emails), uniqids: Array(uniqids))
            for row in found {
                var user: Int?
                if let token = row.token {
                    if token.contains("@") {
                        user = byEmail[token.lowercased()]
                    } else if token.count == 1, let digit = token.first?.wholeNumberValue {
                        user = digit == 0 ? nil : digit
                    } else if !token.isEmpty {
                        user = byUniqid[token]
                    }
                }
                if user == nil { user = row.candidates.lazy.compactMap { byEmail[$0.lowercased()] }.first }
                guard user != nil || !PHPListHeaderSearch.isPHPEmpty(row.messageID) else { continue }
                let resolved = user
                let id = row.id
                let messageID = row.messageID
                let identified = try await database.pool.transaction { connection -> Bool in
                    let writer = PHPListBounceWriter(connection: connection, tables: tables)
                    // Still unidentified (another process may have got there first)?
                    guard try connection.query("SELECT id FROM \(tables.bounce) WHERE id = ? AND status = 'unidentified bounce' FOR UPDATE",
                                               [id]).first != nil else { return false }
                    if let resolved { _ = try writer.lockSubscriber(resolved) }
                    let plan = try PHPListBounceCases(writer: writer).apply(bounce: id, messageID: messageID, userID: resolved, bounceDate: nil)
                    return plan.status != "unidentified bounce"
                }
                if identified { count += 1 }
            }
        }
        return count
    }

    struct UnidentifiedRow: Sendable {
        let id: Int
        let messageID: String?
        let token: String?
        let candidates: [String]
    }

    /// Subscriber ids by lowercased email and by uniqid, 1,000 values per query.
    func subscriberIDs(emails: [String], uniqids: [String]) async throws -> ([String: Int], [String: Int]) {
        let tables = database.tables
        var byEmail: [String: Int] = [:]
        var byUniqid: [String: Int] = [:]
        for start in stride(from: 0, to: emails.count, by: 1000) {
            let chunk = Array(emails[start..<min(start + 1000, emails.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try await database.pool.query("SELECT id, email FROM \(tables.user) WHERE email IN (\(marks))", chunk) {
                byEmail[(try row.decode("email", as: String.self)).lowercased()] = try row.decode("id")
            }
        }
        for start in stride(from: 0, to: uniqids.count, by: 1000) {
            let chunk = Array(uniqids[start..<min(start + 1000, uniqids.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try await database.pool.query("SELECT id, uniqid FROM \(tables.user) WHERE uniqid IN (\(marks))", chunk) {
                byUniqid[try row.decode("uniqid", as: String.self)] = try row.decode("id")
            }
        }
        return (byEmail, byUniqid)
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

    /// One streaming query walks every candidate subscriber's sent campaigns; only those over the threshold
    /// get a transaction, which walks again under the subscriber's lock before writing.
    func applyConsecutiveThreshold() async throws -> (Int, Int) {
        let tables = database.tables
        let threshold = settings.unsubscribeThreshold
        let blacklistThreshold = settings.blacklistThreshold
        let over = try await database.subscribersOverThreshold(threshold: threshold, blacklistThreshold: blacklistThreshold)
        var unconfirmed = 0
        var blacklisted = 0
        for user in over {
            let (didUnconfirm, didBlacklist) = try await database.pool.transaction { connection -> (Bool, Bool) in
                let writer = PHPListBounceWriter(connection: connection, tables: tables)
                guard let subscriber = try writer.lockSubscriber(user), subscriber.confirmed, !subscriber.blacklisted else {
                    return (false, false)
                }
                let walk = ConsecutiveBounces.evaluate(try writer.sentMessagesWithBounces(user: user),
                                                       threshold: threshold, blacklistThreshold: blacklistThreshold)
                guard let count = walk.unconfirmAt else { return (false, false) }
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

extension PHPListDatabase {
    /// Confirmed, non-blacklisted subscribers with bounces whose walk reaches the threshold, from one
    /// query ordered by subscriber and newest campaign first (processbounces' per-subscriber query, joined).
    func subscribersOverThreshold(threshold: Int, blacklistThreshold: Int) async throws -> [Int] {
        let rows = try await pool.query(
            """
            SELECT um.userid AS user, um.messageid AS message, umb.bounce AS bounce, b.status AS status, b.comment AS comment
            FROM (SELECT DISTINCT umb.user FROM \(tables.userMessageBounce) umb JOIN \(tables.user) u ON u.id = umb.user
                  WHERE u.confirmed AND !u.blacklisted) c
            JOIN \(tables.userMessage) um ON um.userid = c.user
            LEFT JOIN \(tables.userMessageBounce) umb ON (um.messageid = umb.message AND um.userid = umb.user)
            LEFT JOIN \(tables.bounce) b ON umb.bounce = b.id
            WHERE um.status = 'sent' ORDER BY um.userid, um.entered DESC
            """)
        var result: [Int] = []
        var current: Int?
        var walk: [SentMessageBounce] = []
        func finish() {
            if let current, ConsecutiveBounces.evaluate(walk, threshold: threshold, blacklistThreshold: blacklistThreshold).unconfirmAt != nil {
                result.append(current)
            }
        }
        for row in rows {
            let user: Int = try row.decode("user")
            if user != current {
                finish()
                current = user
                walk = []
            }
            walk.append(SentMessageBounce(message: try row.decode("message"), bounce: try row.decode("bounce", as: Int?.self),
                                          status: try row.decode("status", as: String?.self),
                                          comment: try row.decode("comment", as: String?.self)))
        }
        finish()
        return result
    }
}
