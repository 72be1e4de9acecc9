import FacteurTesting
import Foundation
import MariaDB
import Testing
@testable import Bounces

/// Bounce rules in the database: PHPList's actions, and a rule counting each bounce once however many passes run.
@Suite struct BounceRuleActionTests {
    static func run(action: String, regex: String = "mailbox full", policy: BounceProcessingSettings.Policy = .phplist)
        async throws -> ProcessingFixture {
        let f = try await ProcessingFixture.make(withRule: false)
        try await f.pool.execute(
            "INSERT INTO phplist_bounceregex (regex, regexhash, action, listorder, admin, comment, status, count) VALUES (?, MD5(?), ?, 0, 1, '', 'active', 0)",
            [regex, regex, action])
        let processor = f.processor(BounceProcessingSettings(policy: policy))
        _ = try await processor.process(ProcessingFixture.dsn(email: "user0005@example.com", campaign: 2), source: "full")
        for _ in 0..<3 { _ = try await processor.applyRulesAndThresholds() }
        return f
    }

    @Test func unconfirmUserActsAndCountsOnce() async throws {
        let f = try await Self.run(action: "unconfirmuser")
        defer { Task { await f.tearDown() } }
        #expect(try await f.int("SELECT count FROM phplist_bounceregex") == 1)
        #expect(try await f.rows("SELECT regex, bounce FROM phplist_bounceregex_bounce") == [[.int(1), .int(1)]])
        #expect(try await f.rows("SELECT confirmed, blacklisted FROM phplist_user_user WHERE id = 6") == [[.int(0), .int(0)]])
        #expect(try await f.rows("SELECT summary, detail FROM phplist_user_user_history WHERE userid = 6 ORDER BY id DESC LIMIT 1")
            == [[.string("Auto Unconfirmed"), .string("Subscriber auto unconfirmed for bounce rule 1")]])
        #expect(try await f.rows("SELECT item, value FROM phplist_userstats") == [[.string("auto unsubscribe"), .int(1)]])
    }

    @Test func deleteBounceRemovesTheBounceAndItsLinks() async throws {
        let f = try await Self.run(action: "deletebounce")
        defer { Task { await f.tearDown() } }
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce") == 0)
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_user_message_bounce") == 0)
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounceregex_bounce") == 0)
        #expect(try await f.int("SELECT count FROM phplist_bounceregex") == 1)
        // The counters PHPList increased when it recorded the bounce stay.
        #expect(try await f.int("SELECT bouncecount FROM phplist_user_user WHERE id = 6") == 1)
    }

    @Test func blacklistEmailLeavesTheSubscriberFlagAlone() async throws {
        let f = try await Self.run(action: "blacklistemail")
        defer { Task { await f.tearDown() } }
        #expect(try await f.rows("SELECT confirmed, blacklisted FROM phplist_user_user WHERE id = 6") == [[.int(1), .int(0)]])
        #expect(try await f.rows("SELECT email, name, data FROM phplist_user_blacklist_data")
            == [[.string("user0005@example.com"), .string("reason"), .string("Email address auto blacklisted by bounce rule 1")]])
        #expect(try await f.rows("SELECT summary FROM phplist_user_user_history WHERE userid = 6 ORDER BY id DESC LIMIT 2")
            == [[.string("Auto unsubscribed")], [.string("Added to blacklist")]])
    }

    @Test func deleteUserAndBounceRemovesBoth() async throws {
        let f = try await Self.run(action: "deleteuserandbounce")
        defer { Task { await f.tearDown() } }
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_user_user WHERE id = 6") == 0)
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_listuser WHERE userid = 6") == 0)
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce") == 0)
        #expect(try await f.rows("SELECT entry FROM phplist_eventlog ORDER BY id DESC LIMIT 1")
            == [[.string("User user0005@example.com deleted by bounce rule " + BounceRuleActions.ruleLink(1))]])
    }

    @Test func decreaseCountConfirmIsANoOpInPHPListAndDoneByFacteur() async throws {
        let phplist = try await Self.run(action: "decreasecountconfirmuseranddeletebounce")
        defer { Task { await phplist.tearDown() } }
        #expect(try await phplist.int("SELECT COUNT(*) FROM phplist_bounce") == 1)
        #expect(try await phplist.int("SELECT bouncecount FROM phplist_user_user WHERE id = 6") == 1)
        let facteur = try await Self.run(action: "decreasecountconfirmuseranddeletebounce", policy: .facteur)
        defer { Task { await facteur.tearDown() } }
        #expect(try await facteur.int("SELECT COUNT(*) FROM phplist_bounce") == 0)
        #expect(try await facteur.rows("SELECT confirmed, bouncecount FROM phplist_user_user WHERE id = 6") == [[.int(1), .int(0)]])
    }

    @Test func aRuleWithASlashNeverMatchesAsInPHP() async throws {
        let f = try await Self.run(action: "deletebounce", regex: "5.2.2/mailbox")
        defer { Task { await f.tearDown() } }
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce") == 1)
        #expect(try await f.int("SELECT count FROM phplist_bounceregex") == 0)
    }
}
