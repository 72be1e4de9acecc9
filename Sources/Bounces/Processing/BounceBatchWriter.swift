import MariaDB
import PHPList

/// Writes many prepared bounces in ONE transaction with set-based statements: the same rows, statuses,
/// comments and counters as `BounceRecorder` writes one bounce at a time, but a few queries per batch
/// instead of about ten round trips per bounce (seen check, subscriber lookups and locks, duplicate
/// test, `user_message_bounce`, counters), and one multi-row INSERT … RETURNING for the `bounce` rows.
///
/// Exactly-once holds as for a single bounce: the `facteur_bounce_seen` rows are inserted (plain INSERT,
/// before any counter) in the same transaction as everything else, so a crash before COMMIT leaves
/// nothing, and a concurrent process that recorded one of these messages meanwhile makes the INSERT fail
/// with a duplicate key (`ConcurrentDuplicate`): the caller rolls back and records this batch one bounce
/// at a time, where that bounce is reported as already processed.
struct BounceBatchWriter {
    let connection: MariaDBConnection
    let tables: TableNames
    let settings: BounceProcessingSettings
    let crash: CrashHook?

    struct Item {
        let source: String
        let analysis: BounceAnalysis
    }

    /// Another transaction committed one of these messages after this batch's seen check.
    struct ConcurrentDuplicate: Error {}

    /// Bytes of `bounce` rows sent per INSERT (far below max_allowed_packet's 16 MB default).
    static let insertBytesPerStatement = 4 << 20

    private var writer: PHPListBounceWriter { PHPListBounceWriter(connection: connection, tables: tables) }

    /// One outcome per item, in order. Items whose bytes were seen before (or earlier in this batch)
    /// get `.alreadySeen` without any write.
    func write(_ items: [Item]) throws -> [BounceOutcome] {
        var outcomes = [BounceOutcome?](repeating: nil, count: items.count)

        // 1. Messages processed before, and the same bytes twice in this batch.
        let seen = try seenBounces(Set(items.map(\.analysis.sha256)))
        var firstIndex: [[UInt8]: Int] = [:]
        var fresh: [Int] = []
        var repeats: [(index: Int, first: Int)] = []
        for (index, item) in items.enumerated() {
            let sha = item.analysis.sha256
            if let bounce = seen[sha] {
                outcomes[index] = Self.alreadySeen(item.analysis, bounce: bounce)
            } else if let first = firstIndex[sha] {
                repeats.append((index, first))
            } else {
                firstIndex[sha] = index
                fresh.append(index)
            }
        }

        // 2. Every subscriber identification could ask for, read and locked in bulk.
        let recorders = fresh.map { BounceRecorder(writer: writer, settings: settings, analysis: items[$0].analysis) }
        let lookup = try BatchSubscriberLookup.load(keys: recorders.map { $0.lookupKeys() }, connection: connection, tables: tables)
        var pairs = try bouncedPairs(users: lookup.lockedIDs)

        // 3. Decide each bounce's rows, in order (a second bounce for the same subscriber and campaign in
        //    this batch is a duplicate of the first, as it would be one transaction later).
        struct Pending {
            var index: Int
            var outcome: BounceOutcome
            var plan: PHPListBounceCases.Plan?
            var date: Int?
            var verdict: BounceRecorder.Verdict
        }
        var pending: [Pending] = []
        let cases = PHPListBounceCases(writer: writer)
        for (position, index) in fresh.enumerated() {
            let analysis = items[index].analysis
            var recorder = recorders[position]
            recorder.lookup = lookup
            let verdict = recorder.chosenRecipient()
            var outcome = BounceOutcome(disposition: .recorded, bounceID: nil, status: "", comment: "", campaignID: nil,
                                        subscriberID: nil, identifiedBy: nil, reason: verdict.reason, isHard: verdict.isHard,
                                        action: .count, sha256: analysis.sha256Hex)
            let identity = try recorder.identify()
            if settings.policy == .phplist && analysis.isExchangeDelay {
                outcome.disposition = .skipped
                pending.append(Pending(index: index, outcome: outcome, plan: nil, date: nil, verdict: verdict))
                continue
            }
            var action = BounceProcessingSettings.Action.count
            if settings.policy == .facteur {
                action = analysis.isExchangeDelay || verdict.isDelay ? .ignore : settings.action(for: verdict.reason, isHard: verdict.isHard)
                if analysis.parsed.kind == .nonBounce || analysis.parsed.kind == .autoReply { action = .ignore }
            }
            outcome.action = action
            let plan = action == .ignore && (identity.userID != nil || !PHPListHeaderSearch.isPHPEmpty(identity.messageID))
                ? cases.notCounted(user: identity.userID, messageID: identity.messageID, what: verdict.notCountedLabel)
                : try cases.plan(messageID: identity.messageID, userID: identity.userID) { user, campaign in
                    pairs.contains(Pair(user: user, message: campaign))
                }
            switch plan.kind {
            case .listMessage(let user, let campaign), .duplicate(let user, let campaign):
                pairs.insert(Pair(user: user, message: campaign))
            case .systemMessage(let user):
                pairs.insert(Pair(user: user, message: -1))
            default:
                break
            }
            outcome.status = plan.status
            outcome.comment = plan.comment
            outcome.campaignID = plan.campaign
            outcome.subscriberID = plan.user
            outcome.identifiedBy = plan.user == nil && plan.campaign == nil ? nil : identity.via
            // PHPList stores an unparsable date as the epoch (strtotime false → date(…, 0)); Facteur as now.
            let date = analysis.unixDate ?? (settings.policy == .phplist ? 0 : nil)
            pending.append(Pending(index: index, outcome: outcome, plan: plan, date: date, verdict: verdict))
        }

        // 4. The bounce rows, then the seen rows (before any counter, as for one bounce).
        let stored = pending.filter { $0.plan != nil }
        let ids = try insertBounces(stored.map { ($0.date, items[$0.index].analysis, $0.plan!) })
        var bounceOf: [Int: Int] = [:]
        for (entry, id) in zip(stored, ids) { bounceOf[entry.index] = id }
        try insertSeen(pending.map { (items[$0.index], bounceOf[$0.index]) })

        // 5. PHPList's per-case rows: the common cases grouped, the rare ones (system messages, policy
        //    actions) with the single-bounce code.
        var links: [[any MariaDBEncodable]] = []
        var userIncrements: [Int: Int] = [:]
        var messageIncrements: [Int: Int] = [:]
        for entry in stored {
            let plan = entry.plan!
            let bounce = bounceOf[entry.index]!
            switch plan.kind {
            case .listMessage(let user, let campaign):
                links.append([user, campaign, bounce])
                userIncrements[user, default: 0] += 1
                messageIncrements[campaign, default: 0] += 1
            case .duplicate(let user, let campaign):
                links.append([user, campaign, bounce])
            case .userOnly(let user):
                userIncrements[user, default: 0] += 1
            case .messageOnly(let campaign):
                messageIncrements[campaign, default: 0] += 1
            case .systemMessage, .systemMessageUnknownUser:
                try cases.carryOut(plan, bounce: bounce, bounceDate: entry.date)
            case .unidentified, .notCounted:
                break
            }
        }
        try connection.executeBatch("INSERT INTO \(tables.userMessageBounce) (user, message, bounce) VALUES (?, ?, ?)", rows: links)
        try increment(tables.user, by: userIncrements)
        for entry in stored where settings.policy == .facteur {
            let action = entry.outcome.action
            if let user = entry.plan!.user, action == .unconfirm || action == .blacklist {
                try FacteurPolicyWrites(writer: writer).apply(action, user: user, bounce: bounceOf[entry.index]!, verdict: entry.verdict)
            }
        }
        // Last, so the campaign rows every concurrent batch updates stay locked for the shortest time.
        try increment(tables.message, by: messageIncrements)

        for entry in pending {
            var outcome = entry.outcome
            outcome.bounceID = bounceOf[entry.index]
            outcomes[entry.index] = outcome
            crash?.reached()
        }
        for (index, first) in repeats {
            outcomes[index] = Self.alreadySeen(items[index].analysis, bounce: bounceOf[first])
        }
        return outcomes.map { $0! }
    }

    static func alreadySeen(_ analysis: BounceAnalysis, bounce: Int?) -> BounceOutcome {
        BounceOutcome(disposition: .alreadySeen, bounceID: bounce, status: "", comment: "", campaignID: nil, subscriberID: nil,
                      identifiedBy: nil, reason: .undefined, isHard: false, action: .count, sha256: analysis.sha256Hex)
    }

    // MARK: - Statements

    /// sha256 → the bounce id it produced (nil inside: processed, nothing stored).
    private func seenBounces(_ hashes: Set<[UInt8]>) throws -> [[UInt8]: Int?] {
        var found: [[UInt8]: Int?] = [:]
        let all = Array(hashes)
        for start in stride(from: 0, to: all.count, by: 500) {
            let chunk = Array(all[start..<min(start + 500, all.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try connection.query("SELECT sha256, bounce_id FROM \(PHPListBounceWriter.seenTable) WHERE sha256 IN (\(marks))", chunk) {
                guard case .bytes(let sha) = row["sha256"] else { continue }
                found[sha] = .some(try row.decode("bounce_id", as: Int?.self))
            }
        }
        return found
    }

    struct Pair: Hashable {
        let user: Int
        let message: Int
    }

    /// The (subscriber, campaign) pairs already in `user_message_bounce` for these subscribers.
    private func bouncedPairs(users: [Int]) throws -> Set<Pair> {
        var pairs = Set<Pair>()
        for start in stride(from: 0, to: users.count, by: 500) {
            let chunk = Array(users[start..<min(start + 500, users.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try connection.query("SELECT user, message FROM \(tables.userMessageBounce) WHERE user IN (\(marks))", chunk) {
                pairs.insert(Pair(user: try row.decode("user"), message: try row.decode("message")))
            }
        }
        return pairs
    }

    /// Multi-row `INSERT … RETURNING id` (MariaDB ≥ 10.5): the ids come back in row order.
    private func insertBounces(_ rows: [(date: Int?, analysis: BounceAnalysis, plan: PHPListBounceCases.Plan)]) throws -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(rows.count)
        var start = 0
        while start < rows.count {
            var end = start
            var bytes = 0
            while end < rows.count, end == start || bytes + rows[end].analysis.size < Self.insertBytesPerStatement {
                bytes += rows[end].analysis.size
                end += 1
            }
            var values: [String] = []
            var params: [any MariaDBEncodable] = []
            for row in rows[start..<end] {
                if let date = row.date {
                    values.append("(FROM_UNIXTIME(?), ?, ?, ?, ?)")
                    params.append(date)
                } else {
                    values.append("(NOW(), ?, ?, ?, ?)")
                }
                params += [row.analysis.headerText, row.analysis.view.body, row.plan.status, row.plan.comment] as [any MariaDBEncodable]
            }
            let returned = try connection.query(
                "INSERT INTO \(tables.bounce) (date, header, data, status, comment) VALUES \(values.joined(separator: ", ")) RETURNING id",
                params)
            guard returned.count == end - start else {
                throw MariaDBError.binding(sql: "INSERT INTO bounce … RETURNING id",
                                           reason: "\(returned.count) ids returned for \(end - start) rows")
            }
            for row in returned { ids.append(try row.decode("id")) }
            start = end
        }
        return ids
    }

    private func insertSeen(_ rows: [(item: Item, bounce: Int?)]) throws {
        let values = rows.map { row -> [any MariaDBEncodable] in
            [row.item.analysis.sha256, row.bounce, String(row.item.source.prefix(255)), row.item.analysis.size]
        }
        let sql = "INSERT INTO \(PHPListBounceWriter.seenTable) (sha256, bounce_id, source, size, processed) VALUES (?, ?, ?, ?, NOW())"
        if let error = Self.failure(of: { () throws(MariaDBError) -> UInt64 in try connection.executeBatch(sql, rows: values) }) {
            if error.serverCode == 1062 { throw ConcurrentDuplicate() }
            throw error
        }
    }

    /// The error a statement threw, if any (a plain function: a typed `catch` here crashes Swift 6.3's SIL verifier).
    private static func failure(of statement: () throws(MariaDBError) -> UInt64) -> MariaDBError? {
        do {
            _ = try statement()
            return nil
        } catch {
            return error
        }
    }

    /// `bouncecount = bouncecount + n`, one UPDATE per distinct n (almost always just n = 1).
    private func increment(_ table: String, by counts: [Int: Int]) throws {
        let byAmount = Dictionary(grouping: counts.keys, by: { counts[$0]! })
        for (amount, ids) in byAmount.sorted(by: { $0.key < $1.key }) {
            let sorted = ids.sorted()
            for start in stride(from: 0, to: sorted.count, by: 500) {
                let chunk = Array(sorted[start..<min(start + 500, sorted.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                try connection.execute("UPDATE \(table) SET bouncecount = bouncecount + ? WHERE id IN (\(marks))",
                                       [amount] + chunk.map { $0 as any MariaDBEncodable })
            }
        }
    }
}

/// Subscriber ids for a batch's identification, read with one query per kind of key; every subscriber
/// it could pick is locked (`FOR UPDATE`, in id order) until the batch's transaction ends.
struct BatchSubscriberLookup: SubscriberLookup {
    let byEmail: [String: Int]
    let byUniqid: [String: Int]
    let existing: Set<Int>
    var lockedIDs: [Int] { existing.sorted() }

    static func load(keys: [(emails: [String], uniqids: [String], ids: [Int])], connection: MariaDBConnection,
                     tables: TableNames) throws -> BatchSubscriberLookup {
        let writer = PHPListBounceWriter(connection: connection, tables: tables)
        let byEmail = try writer.userIDs(emails: keys.flatMap(\.emails))
        var byUniqid: [String: Int] = [:]
        let uniqids = Array(Set(keys.flatMap(\.uniqids)))
        for start in stride(from: 0, to: uniqids.count, by: 500) {
            let chunk = Array(uniqids[start..<min(start + 500, uniqids.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try connection.query("SELECT id, uniqid FROM \(tables.user) WHERE uniqid IN (\(marks))", chunk) {
                byUniqid[(try row.decode("uniqid", as: String.self)).lowercased()] = try row.decode("id")
            }
        }
        let candidates = Set(keys.flatMap(\.ids)).union(byEmail.values).union(byUniqid.values).sorted()
        var existing = Set<Int>()
        for start in stride(from: 0, to: candidates.count, by: 500) {
            let chunk = Array(candidates[start..<min(start + 500, candidates.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try connection.query("SELECT id FROM \(tables.user) WHERE id IN (\(marks)) ORDER BY id FOR UPDATE", chunk) {
                existing.insert(try row.decode("id"))
            }
        }
        return BatchSubscriberLookup(byEmail: byEmail, byUniqid: byUniqid, existing: existing)
    }

    func userID(email: String) throws -> Int? { byEmail[email.lowercased()] }
    func userID(uniqid: String) throws -> Int? { byUniqid[uniqid.lowercased()] }
    func userIDs(emails: [String]) throws -> [String: Int] {
        var found: [String: Int] = [:]
        for email in emails { if let id = byEmail[email.lowercased()] { found[email.lowercased()] = id } }
        return found
    }
    func existingSubscriber(_ id: Int) throws -> Int? { existing.contains(id) ? id : nil }
}
