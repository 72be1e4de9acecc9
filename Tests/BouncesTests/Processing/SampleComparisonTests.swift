import FacteurTesting
import Foundation
import MariaDB
import Testing
@testable import Bounces

/// The reference: PHPList 3.6.15's processbounces read bounces-sample.mbox into sample-sent.sql.gz with one
/// rule ("user unknown" → blacklistuser) and produced sample-bounced.sql.gz. Facteur, fed the same mbox,
/// must leave the bounce tables and counters identical, except what compat/phplist-3.6.15/bounce-exceptions.md lists.
@Suite(.serialized) struct SampleComparisonTests {
    /// Undoes header folding (CRLF + blanks → one space): PHPList's reference intake (a test POP3 server)
    /// refolded header lines longer than 78 characters; the mbox has them on one line.
    static func unfolded(_ value: MariaDBValue) -> String {
        let text: String
        switch value {
        case .bytes(let bytes): text = String(decoding: bytes, as: UTF8.self)
        case .string(let string): text = string
        default: return "\(value)"
        }
        return text.replacingOccurrences(of: "[ \\t]*\\r\\n[ \\t]+", with: " ", options: .regularExpression)
    }

    struct Snapshot: Equatable {
        var bounces: [[String]]
        var userMessageBounces: [[MariaDBValue]]
        var rules: [[MariaDBValue]]
        var ruleBounces: [[MariaDBValue]]
        var blacklist: [[MariaDBValue]]
        var blacklistData: [[MariaDBValue]]
        var userStats: [[MariaDBValue]]
        var users: [[MariaDBValue]]
        var messages: [[MariaDBValue]]
        var history: [[MariaDBValue]]
        var events: [String]
    }

    static func snapshot(_ f: ProcessingFixture, historyAfter: Int, eventsAfter: Int) async throws -> Snapshot {
        let bounces = try await f.pool.query("SELECT id, date, header, data, status, comment FROM phplist_bounce ORDER BY id").map { row in
            [try row.decode("id", as: Int.self).description, "\(row["date"])", unfolded(row["header"]), unfolded(row["data"]),
             "\(row["status"])", "\(row["comment"])"]
        }
        return Snapshot(
            bounces: bounces,
            userMessageBounces: try await f.rows("SELECT id, user, message, bounce FROM phplist_user_message_bounce ORDER BY id"),
            rules: try await f.rows("SELECT * FROM phplist_bounceregex ORDER BY id"),
            ruleBounces: try await f.rows("SELECT * FROM phplist_bounceregex_bounce ORDER BY regex, bounce"),
            blacklist: try await f.rows("SELECT email FROM phplist_user_blacklist ORDER BY email"),
            blacklistData: try await f.rows("SELECT * FROM phplist_user_blacklist_data ORDER BY email, name"),
            userStats: try await f.rows("SELECT item, listid, value FROM phplist_userstats ORDER BY item"),
            users: try await f.rows("SELECT id, email, confirmed, blacklisted, optedin, bouncecount, disabled FROM phplist_user_user ORDER BY id"),
            messages: try await f.rows(
                "SELECT id, status, bouncecount, processed, astextandhtml, viewed, sent, sendstart FROM phplist_message ORDER BY id"),
            history: try await f.rows(
                "SELECT userid, ip, summary, detail, systeminfo FROM phplist_user_user_history WHERE id > ? ORDER BY id", [historyAfter]),
            events: try await f.pool.query("SELECT page, entry FROM phplist_eventlog WHERE id > ? ORDER BY id", [eventsAfter]).map {
                // The reference's links carry the admin session's CSRF token (&amp;tk=…), which has no meaning here.
                "\($0["page"]) " + (try $0.decode("entry", as: String.self))
                    .replacingOccurrences(of: "&amp;tk=[0-9a-f]+", with: "", options: .regularExpression)
            })
    }

    static func run(_ policy: BounceProcessingSettings.Policy) async throws -> (Snapshot, Snapshot, [BounceOutcome]) {
        let facteur = try await ProcessingFixture.make()
        defer { Task { await facteur.tearDown() } }
        let historyAfter = try await facteur.int("SELECT MAX(id) FROM phplist_user_user_history")
        let eventsAfter = try await facteur.int("SELECT MAX(id) FROM phplist_eventlog")

        let processor = facteur.processor(BounceProcessingSettings(policy: policy))
        var outcomes: [BounceOutcome] = []
        for (index, message) in try ProcessingFixture.sampleMessages().enumerated() {
            outcomes.append(try await processor.process(message, source: "sample#\(index + 1)"))
        }
        _ = try await processor.applyRulesAndThresholds()

        let loaded = try await TestDatabase.create(loading: .sampleBounced)
        defer { Task { try? await loaded.drop() } }
        let expectedPool = loaded.pool()
        defer { Task { await expectedPool.shutdown() } }
        let expected = ProcessingFixture(database: loaded, pool: expectedPool, phplist: .init(pool: expectedPool))
        return (try await snapshot(facteur, historyAfter: historyAfter, eventsAfter: eventsAfter),
                try await snapshot(expected, historyAfter: historyAfter, eventsAfter: eventsAfter), outcomes)
    }

    @Test func policyPHPListLeavesTheTablesAsPHPListDid() async throws {
        let (actual, expected, outcomes) = try await Self.run(.phplist)
        #expect(outcomes.map(\.disposition) == [.recorded, .recorded, .recorded, .recorded])
        #expect(expected.bounces.count == 4 && expected.userMessageBounces.count == 2 && expected.history.count == 2)
        #expect(actual.bounces == expected.bounces)
        #expect(actual.userMessageBounces == expected.userMessageBounces)
        #expect(actual.rules == expected.rules)
        #expect(actual.ruleBounces == expected.ruleBounces)
        #expect(actual.blacklist == expected.blacklist)
        #expect(actual.blacklistData == expected.blacklistData)
        #expect(actual.userStats == expected.userStats)
        #expect(actual.users == expected.users)
        #expect(actual.messages == expected.messages)
        #expect(actual.history == expected.history)
        #expect(actual.events == expected.events)
    }

    @Test func policyFacteurAlsoUnconfirmsTheHardBounce() async throws {
        let (actual, expected, outcomes) = try await Self.run(.facteur)
        #expect(outcomes.map(\.action) == [.unconfirm, .count, .count, .unconfirm])
        #expect(actual.bounces == expected.bounces)
        #expect(actual.userMessageBounces == expected.userMessageBounces)
        #expect(actual.rules == expected.rules)
        #expect(actual.ruleBounces == expected.ruleBounces)
        #expect(actual.blacklist == expected.blacklist)
        #expect(actual.blacklistData == expected.blacklistData)
        #expect(actual.messages == expected.messages)
        // The only difference in subscribers: 1202 (550 5.1.1, hard) unconfirmed.
        let changed = zip(actual.users, expected.users).filter { $0 != $1 }
        #expect(changed.count == 1)
        #expect(changed.first?.0.first == .int(1202))
        #expect(changed.first?.0[2] == .int(0))
        #expect(changed.first?.1[2] == .int(1))
        // …with its history line, event line and "auto unsubscribe" statistic.
        #expect(actual.history.filter { !expected.history.contains($0) }.map { $0[2] } == [.string("Auto Unconfirmed")])
        #expect(actual.events.filter { !expected.events.contains($0) }.count == 1)
        #expect(actual.userStats.filter { !expected.userStats.contains($0) }.map { $0[0] } == [.string("auto unsubscribe")])
    }
}
