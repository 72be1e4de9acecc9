import Compose
import FacteurTesting
import Foundation
import MariaDB
import Testing
@testable import Bounces

@Suite struct ProcessingBehaviourTests {
    @Test func anMboxReadTwiceCountsOnce() async throws {
        let f = try await ProcessingFixture.make()
        defer { Task { await f.tearDown() } }
        let processor = f.processor(BounceProcessingSettings(policy: .phplist))
        for pass in 1...2 {
            for (index, message) in try ProcessingFixture.sampleMessages().enumerated() {
                let outcome = try await processor.process(message, source: "mbox pass \(pass) #\(index)")
                #expect(outcome.disposition == (pass == 1 ? .recorded : .alreadySeen))
                if pass == 2 { #expect(outcome.bounceID == index + 1) }
            }
            _ = try await processor.applyRulesAndThresholds()
        }
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce") == 4)
        #expect(try await f.int("SELECT bouncecount FROM phplist_message WHERE id = 2") == 2)
        #expect(try await f.int("SELECT SUM(bouncecount) FROM phplist_user_user") == 3)
        #expect(try await f.int("SELECT count FROM phplist_bounceregex WHERE id = 1") == 1)
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_userstats WHERE item = 'auto blacklist'") == 1)
        #expect(try await f.int("SELECT value FROM phplist_userstats WHERE item = 'auto blacklist'") == 1)
    }

    @Test func concurrentCopiesOfOneBounceCountOnce() async throws {
        let f = try await ProcessingFixture.make()
        defer { Task { await f.tearDown() } }
        let processor = f.processor(BounceProcessingSettings(policy: .phplist))
        let message = ProcessingFixture.dsn(email: "user0005@example.com", campaign: 2)
        let outcomes = try await withThrowingTaskGroup(of: BounceOutcome.self) { group in
            for index in 0..<8 { group.addTask { try await processor.process(message, source: "copy \(index)") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0.disposition == .recorded }.count == 1)
        #expect(outcomes.filter { $0.disposition == .alreadySeen }.count == 7)
        #expect(try await f.int("SELECT bouncecount FROM phplist_user_user WHERE id = 6") == 1)
    }

    @Test func aSecondBounceForTheSamePairIsADuplicate() async throws {
        let f = try await ProcessingFixture.make(withRule: false)
        defer { Task { await f.tearDown() } }
        let processor = f.processor(BounceProcessingSettings(policy: .phplist))
        _ = try await processor.process(ProcessingFixture.dsn(email: "user0005@example.com", campaign: 2), source: "a")
        let second = try await processor.process(ProcessingFixture.dsn(email: "user0005@example.com", campaign: 2, tag: "again"), source: "b")
        #expect(second.status == "duplicate bounce for 6")
        #expect(second.comment == "duplicate bounce for subscriber 6 on message 2")
        #expect(try await f.int("SELECT bouncecount FROM phplist_user_user WHERE id = 6") == 1)
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_user_message_bounce WHERE user = 6") == 2)
    }

    static let secret = Array("a-test-secret-of-some-length".utf8)
    static var verp: VERPAddress.Config { VERPAddress.Config(localPart: "bounces", domain: "example.org", secret: secret) }

    @Test func aForgedVERPSignatureChangesNoSubscriber() async throws {
        let f = try await ProcessingFixture.make()
        defer { Task { await f.tearDown() } }
        let processor = f.processor(BounceProcessingSettings(policy: .facteur, verp: Self.verp))
        // Headers name subscriber 1202 and campaign 2 (and "user unknown" matches the blacklist rule).
        let forged = ProcessingFixture.dsn(email: "user1201@example.net", campaign: 2, status: "5.1.1", text: "User unknown",
                                           to: "bounces+2.1202.0123456789ab@example.org")
        let outcome = try await processor.process(forged, source: "forged")
        #expect(outcome.status == "unidentified bounce")
        #expect(outcome.subscriberID == nil)
        let missing = ProcessingFixture.dsn(email: "user1201@example.net", campaign: 2, status: "5.1.1", text: "User unknown",
                                            to: "bounces@example.org")
        #expect(try await processor.process(missing, source: "no verp").status == "unidentified bounce")
        _ = try await processor.applyRulesAndThresholds()
        #expect(try await f.rows("SELECT confirmed, blacklisted, bouncecount FROM phplist_user_user WHERE id = 1202")
            == [[.int(1), .int(0), .int(0)]])
        #expect(try await f.int("SELECT bouncecount FROM phplist_message WHERE id = 2") == 0)
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce WHERE status = 'unidentified bounce'") == 2)
    }

    @Test func aCorrectlySignedVERPAddressIdentifiesWithoutHeaders() async throws {
        let f = try await ProcessingFixture.make(withRule: false)
        defer { Task { await f.tearDown() } }
        let processor = f.processor(BounceProcessingSettings(policy: .phplist, verp: Self.verp))
        let address = VERPAddress(campaignID: 2, subscriberID: 6).encode(Self.verp)
        // A bounce that returns nothing of the original: only the envelope recipient identifies it.
        let bare = Array("From: MAILER-DAEMON@mx.example.com\r\nTo: bounces@example.org\r\nSubject: failure notice\r\n\r\nSorry, it failed.\r\n".utf8)
        let outcome = try await processor.process(bare, source: "listener", envelopeRecipient: address)
        #expect(outcome.status == "bounced list message 2")
        #expect(outcome.identifiedBy == "verp")
        #expect(try await f.int("SELECT bouncecount FROM phplist_user_user WHERE id = 6") == 1)
    }

    static let autoReply = Array("""
    From: User Four <user0004@mail.example.co.uk>
    To: bounces@example.org
    Date: Mon, 30 Nov 2026 09:00:00 +0000
    Subject: Out of Office: Spring offer
    Auto-Submitted: auto-replied

    I am out of the office until Monday. Your message to user0004@mail.example.co.uk will be read then.

    """.utf8)

    @Test func anAutoReplyIsStoredButNotCountedUnderPolicyFacteur() async throws {
        let f = try await ProcessingFixture.make()
        defer { Task { await f.tearDown() } }
        let outcome = try await f.processor(BounceProcessingSettings(policy: .facteur)).process(Self.autoReply, source: "vacation")
        #expect(outcome.reason == .vacation)
        #expect(outcome.action == .ignore)
        #expect(outcome.status == "not counted: auto-reply")
        #expect(try await f.int("SELECT bouncecount FROM phplist_user_user WHERE id = 5") == 0)
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce") == 1)
    }

    @Test func anAutoReplyCountsUnderPolicyPHPListAsPHPListDoes() async throws {
        let f = try await ProcessingFixture.make()
        defer { Task { await f.tearDown() } }
        let outcome = try await f.processor(BounceProcessingSettings(policy: .phplist)).process(Self.autoReply, source: "vacation")
        #expect(outcome.status == "bounced unidentified message")
        #expect(try await f.int("SELECT bouncecount FROM phplist_user_user WHERE id = 5") == 1)
    }

    static let complaint = Array("""
    From: abuse@isp.example
    To: bounces@example.org
    Date: Mon, 30 Nov 2026 11:00:00 +0000
    Subject: Abuse report
    MIME-Version: 1.0
    Content-Type: multipart/report; report-type=feedback-report; boundary="F"

    --F
    Content-Type: text/plain

    This is an email abuse report for a message received from you.

    --F
    Content-Type: message/feedback-report

    Feedback-Type: abuse
    User-Agent: SomeGenerator/1.0
    Version: 1
    Original-Rcpt-To: <user0005@example.com>

    --F
    Content-Type: message/rfc822

    From: Example News <news@example.org>
    To: user0005@example.com
    Subject: Spring offer
    X-MessageID: 2
    X-ListMember: user0005@example.com

    Hello
    --F--

    """.utf8)

    @Test func aComplaintBlacklistsUnderPolicyFacteur() async throws {
        let f = try await ProcessingFixture.make(withRule: false)
        defer { Task { await f.tearDown() } }
        let outcome = try await f.processor(BounceProcessingSettings(policy: .facteur)).process(Self.complaint, source: "arf")
        #expect(outcome.reason == .feedback)
        #expect(outcome.action == .blacklist)
        #expect(outcome.subscriberID == 6)
        #expect(try await f.rows("SELECT confirmed, blacklisted FROM phplist_user_user WHERE id = 6") == [[.int(1), .int(1)]])
        #expect(try await f.rows("SELECT email FROM phplist_user_blacklist") == [[.string("user0005@example.com")]])
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_user_blacklist_data WHERE email = 'user0005@example.com' AND data LIKE '%complaint%'") == 1)
    }

    @Test func aComplaintOnlyCountsUnderPolicyPHPList() async throws {
        let f = try await ProcessingFixture.make(withRule: false)
        defer { Task { await f.tearDown() } }
        let outcome = try await f.processor(BounceProcessingSettings(policy: .phplist)).process(Self.complaint, source: "arf")
        #expect(outcome.status == "bounced list message 2")
        #expect(try await f.rows("SELECT confirmed, blacklisted, bouncecount FROM phplist_user_user WHERE id = 6") == [[.int(1), .int(0), .int(1)]])
    }

    @Test func anExchangeDelayIsSkippedAsPHPListDoes() async throws {
        let f = try await ProcessingFixture.make(withRule: false)
        defer { Task { await f.tearDown() } }
        let delay = Array("From: postmaster@corp.example\r\nSubject: Delivery delayed\r\n\r\nReporting-MTA: dns; corp.example\r\n\r\nFinal-Recipient: rfc822; user0005@example.com\r\nAction: delayed\r\nStatus: 4.4.7\r\nX-ListMember: user0005@example.com\r\n".utf8)
        let phplist = try await f.processor(BounceProcessingSettings(policy: .phplist)).process(delay, source: "delay")
        #expect(phplist.disposition == .skipped)
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce") == 0)
        #expect(try await f.processor(BounceProcessingSettings(policy: .phplist)).process(delay, source: "again").disposition == .alreadySeen)
    }

    @Test func malformedInputIsStoredAsUnidentified() async throws {
        let f = try await ProcessingFixture.make()
        defer { Task { await f.tearDown() } }
        let processor = f.processor(BounceProcessingSettings(policy: .facteur))
        let broken = Array("Content-Type: multipart/mixed; boundary=\"x\nSubject: =?utf-8?B?////?=\n\n--x\nContent-Transfer-Encoding: base64\n\n@@@@\n--".utf8)
            + [0xFF, 0xFE, 0x00, 0xC3]
        var binary = [UInt8](repeating: 0, count: 4096)
        for index in binary.indices { binary[index] = UInt8(truncatingIfNeeded: index &* 7919) }
        for (name, bytes) in [("empty", [UInt8]()), ("broken MIME", broken), ("binary", binary)] {
            let outcome = try await processor.process(bytes, source: name)
            #expect(outcome.disposition == .recorded, "\(name)")
            #expect(outcome.status == "unidentified bounce", "\(name)")
            #expect(outcome.comment == "not processed", "\(name)")
        }
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce WHERE status = 'unidentified bounce'") == 3)
    }

    @Test func aFiveMegabyteBounceIsStoredWhole() async throws {
        let f = try await ProcessingFixture.make(withRule: false)
        defer { Task { await f.tearDown() } }
        var message = ProcessingFixture.dsn(email: "user0005@example.com", campaign: 2)
        let line = Array(String(repeating: "x", count: 998).utf8) + [0x0A]
        let end = message.count - "--B--\n\n".utf8.count
        var filler: [UInt8] = []
        while filler.count < 5 * 1024 * 1024 { filler += line }
        message.insert(contentsOf: filler, at: end)
        let outcome = try await f.processor(BounceProcessingSettings(policy: .facteur)).process(message, source: "big")
        #expect(outcome.status == "bounced list message 2")
        #expect(try await f.int("SELECT LENGTH(data) FROM phplist_bounce WHERE id = ?", [outcome.bounceID ?? 0]) > 5 * 1024 * 1024)
    }

    @Test func theThresholdOverThreeCampaignsUnconfirmsAsPHPListDoes() async throws {
        let f = try await ProcessingFixture.make(withRule: false)
        defer { Task { await f.tearDown() } }
        // Campaigns 3 and 4, sent to user0005 (id 6) after campaign 2; user0002 (id 3) gets 3 too.
        try await f.pool.withConnection { connection in
            for id in [3, 4] {
                try connection.execute("CREATE TEMPORARY TABLE m AS SELECT * FROM phplist_message WHERE id = 2")
                try connection.execute("UPDATE m SET id = ?", [id])
                try connection.execute("INSERT INTO phplist_message SELECT * FROM m")
                try connection.execute("DROP TEMPORARY TABLE m")
                for user in [3, 6] {
                    try connection.execute(
                        "INSERT INTO phplist_usermessage (messageid, userid, entered, status) VALUES (?, ?, '2026-11-29 06:00:00' + INTERVAL ? DAY, 'sent')",
                        [id, user, id])
                }
            }
        }
        let processor = f.processor(BounceProcessingSettings(policy: .phplist, unsubscribeThreshold: 3))
        for campaign in [2, 3] {
            _ = try await processor.process(ProcessingFixture.dsn(email: "user0005@example.com", campaign: campaign), source: "c\(campaign)")
        }
        // user0002 bounces on 2 and 4 but not on 3: no three in a row.
        for campaign in [2, 4] {
            _ = try await processor.process(ProcessingFixture.dsn(email: "user0002@example.org", campaign: campaign), source: "u\(campaign)")
        }
        var summary = try await processor.applyRulesAndThresholds()
        #expect(summary.unconfirmedByThreshold == 0)
        #expect(try await f.int("SELECT confirmed FROM phplist_user_user WHERE id = 6") == 1)

        _ = try await processor.process(ProcessingFixture.dsn(email: "user0005@example.com", campaign: 4), source: "c4")
        summary = try await processor.applyRulesAndThresholds()
        #expect(summary.unconfirmedByThreshold == 1)
        #expect(try await f.rows("SELECT confirmed, blacklisted, bouncecount FROM phplist_user_user WHERE id IN (3, 6) ORDER BY id")
            == [[.int(1), .int(0), .int(2)], [.int(0), .int(0), .int(3)]])
        #expect(try await f.rows("SELECT summary, detail FROM phplist_user_user_history WHERE userid = 6 ORDER BY id DESC LIMIT 1")
            == [[.string("Auto Unconfirmed"), .string("Subscriber auto unconfirmed for 3 consecutive bounces")]])
        #expect(try await f.rows("SELECT entry FROM phplist_eventlog ORDER BY id DESC LIMIT 1")
            == [[.string("User (url:<a href=\"./?page=user&amp;id=6\">6</a>) has consecutive bounces (3) over threshold (3), user marked unconfirmed")]])
        // A second pass changes nothing more.
        #expect(try await processor.applyRulesAndThresholds().unconfirmedByThreshold == 0)
    }
}
