import FacteurTesting
import Foundation
import MariaDB
import PHPList
import Testing
import Worker

/// processqueue's list exclusion, repetition and `finishsending`, on the sample campaign.
@Suite struct RepeatAndExclusionTests {
    @Test func membersOfAnExcludedListGetExcludedAndNothingElse() async throws {
        let harness = try await WorkerHarness.start()
        let pool = harness.pool
        // As PHPList's send page stores it with USE_LIST_EXCLUDE: excludelist[4] = "4".
        try await pool.execute("REPLACE INTO phplist_messagedata (name, id, data) VALUES ('excludelist', 2, ?)",
                               [#"SER:a:1:{i:4;s:1:\"4\";}"#])
        let excludedMembers = try await harness.count("SELECT COUNT(DISTINCT userid) FROM phplist_listuser WHERE listid = 4")
        let expected = try await harness.count("""
            SELECT COUNT(DISTINCT u.id) FROM phplist_listuser lu JOIN phplist_user_user u ON u.id = lu.userid
            JOIN phplist_listmessage lm ON lm.listid = lu.listid AND lm.messageid = 2
            WHERE u.confirmed AND !u.blacklisted AND !u.disabled AND u.email NOT LIKE '%@test.example'
              AND u.id NOT IN (SELECT userid FROM phplist_listuser WHERE listid = 4)
            """)
        #expect(excludedMembers > 0 && expected > 0)

        let report = try await harness.runner().processQueue()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.campaigns.first?.ending == .finished)
        #expect(report.campaigns.first?.sent == expected)
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_usermessage WHERE messageid = 2 AND status = 'excluded'")
                == excludedMembers)
        let listFour = Set(try await pool.query(
            "SELECT u.email FROM phplist_user_user u JOIN phplist_listuser lu ON lu.userid = u.id AND lu.listid = 4"
        ).map { "<\(try $0.decode("email", as: String.self))>" })
        let delivered = try await harness.sink.waitForMessages(expected, seconds: 10).filter { !$0.isSystemMail }
            .flatMap(\.rcptArgs)
        #expect(delivered.count == expected)
        #expect(listFour.isDisjoint(with: delivered), "a member of the excluded list received the campaign")
        #expect(try await pool.query("SELECT status FROM phplist_message WHERE id = 2")[0].decode(0, as: String.self) == "sent")
        await harness.stop()
    }

    @Test func aRepeatingCampaignIsCopiedForItsNextDateOnce() async throws {
        let harness = try await WorkerHarness.start()
        let pool = harness.pool
        try await pool.execute("""
            UPDATE phplist_message SET repeatinterval = 1440, repeatuntil = NOW() + INTERVAL 10 DAY,
              embargo = NOW() - INTERVAL 1 MINUTE WHERE id = 2
            """)
        let original = try await pool.query("SELECT embargo, uuid FROM phplist_message WHERE id = 2")[0]
        let embargo = try original.decode("embargo", as: MariaDBDateTime.self)
        let before = try await harness.count("SELECT MAX(id) FROM phplist_message")
        let campaigns = try await harness.count("SELECT COUNT(*) FROM phplist_message")

        let report = try await harness.runner().processQueue()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.campaigns.map(\.campaignID) == [2], "the copy waits for its own embargo")

        let copies = try await pool.query("""
            SELECT id, status, uuid, subject, message, footer, fromfield, repeatinterval, sendformat, processed,
                   TIMESTAMPDIFF(MINUTE, ?, embargo) AS later
            FROM phplist_message WHERE id > \(before)
            """, [embargo])
        try #require(copies.count == 1)
        let copy = copies[0]
        let copyID: Int = try copy.decode("id")
        #expect(try copy.decode("status", as: String.self) == "submitted")
        #expect(try copy.decode("later", as: Int.self) == 1440)
        #expect(try copy.decode("processed", as: Int.self) == 0)
        let uuid = try copy.decode("uuid", as: String.self)
        #expect(uuid != (try original.decode("uuid", as: String.self)))
        #expect(uuid.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil)
        let same = try await harness.count("""
            SELECT COUNT(*) FROM phplist_message o JOIN phplist_message c ON c.id = \(copyID)
            WHERE o.id = 2 AND o.subject = c.subject AND o.message = c.message AND o.footer = c.footer
              AND o.fromfield = c.fromfield AND o.sendformat = c.sendformat AND o.repeatinterval = c.repeatinterval
            """)
        #expect(same == 1)
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_listmessage WHERE messageid = \(copyID)")
                == harness.count("SELECT COUNT(*) FROM phplist_listmessage WHERE messageid = 2"))
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_message_attachment WHERE messageid = \(copyID)")
                == harness.count("SELECT COUNT(*) FROM phplist_message_attachment WHERE messageid = 2"))
        let data = try await PHPListDatabase(pool: pool).messageData(campaign: copyID)
        #expect(data["subject"] == (try await PHPListDatabase(pool: pool).messageData(campaign: 2))["subject"])
        guard case .array(let parts)? = try data.value("embargo") else {
            Issue.record("embargo is not a SER: array: \(String(describing: data["embargo"]))")
            return
        }
        #expect(parts.map(\.key) == ["year", "month", "day", "hour", "minute"].map(PHPArrayKey.string))
        #expect(try await PHPListDatabase(pool: pool).messageData(campaign: 2)["repeatedid"] == String(copyID))
        #expect(try await harness.count(
            "SELECT COUNT(*) FROM phplist_eventlog WHERE entry = 'Message 2 was successfully rescheduled as message \(copyID)'") == 1)

        // Requeued and finished again, the campaign is not repeated a second time.
        try await pool.execute("UPDATE phplist_message SET status = 'submitted' WHERE id = 2")
        _ = try await harness.runner().processQueue(campaign: 2)
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_message") == campaigns + 1)
        await harness.stop()
    }

    @Test func aCampaignPastItsFinishSendingDateIsClosedAsSent() async throws {
        let harness = try await WorkerHarness.start()
        let pool = harness.pool
        // As loadMessageData stores it: a SER: array of strings, here a minute in the past.
        let past = Date().addingTimeInterval(-60)
        let c = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day, .hour, .minute], from: past)
        func field(_ name: String, _ value: Int) -> String {
            let text = String(value)
            return "s:\(name.utf8.count):\\\"\(name)\\\";s:\(text.utf8.count):\\\"\(text)\\\";"
        }
        let serialized = "SER:a:5:{" + field("year", c.year!) + field("month", c.month!) + field("day", c.day!)
            + field("hour", c.hour!) + field("minute", c.minute!) + "}"
        try await pool.execute("REPLACE INTO phplist_messagedata (name, id, data) VALUES ('finishsending', 2, ?)", [serialized])

        let report = try await harness.runner().processQueue()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.campaigns.first?.ending == .finished)
        #expect((report.campaigns.first?.sent ?? 0) < 1996)
        #expect(try await pool.query("SELECT status FROM phplist_message WHERE id = 2")[0].decode(0, as: String.self) == "sent")
        #expect(try await harness.count(
            "SELECT COUNT(*) FROM phplist_eventlog WHERE entry = 'Campaign sending timed out, is past date to process until'") == 1)
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_usermessage WHERE status = 'active'") == 0)
        await harness.stop()
    }
}
