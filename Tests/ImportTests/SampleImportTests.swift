import FacteurTesting
import Foundation
import Import
import MariaDB
import Testing

/// The 3.6.15 sample after bounce processing, into a fresh install and into an overlapping copy.
@Suite struct SampleImportTests {
    /// What PHPList's statistics pages read for a campaign (statsoverview, messages tab): per status
    /// counts of usermessage, the bounce counter, views, and one subscriber's history.
    static func statistics(_ probe: Probe) async throws -> [String] {
        var lines = try await probe.strings("""
            SELECT CONCAT_WS('|', m.uuid, um.status, COUNT(*)) FROM phplist_usermessage um JOIN phplist_message m ON m.id = um.messageid
            GROUP BY m.uuid, um.status ORDER BY 1
            """)
        lines += try await probe.strings("SELECT CONCAT_WS('|', uuid, bouncecount, processed, viewed, astextandhtml, status) FROM phplist_message ORDER BY 1")
        lines += try await probe.strings("""
            SELECT CONCAT_WS('|', LOWER(u.email), u.bouncecount, u.blacklisted, u.confirmed, COUNT(h.id)) FROM phplist_user_user u
            LEFT JOIN phplist_user_user_history h ON h.userid = u.id WHERE u.bouncecount > 0 OR u.blacklisted = 1 GROUP BY u.id ORDER BY 1
            """)
        lines += try await probe.strings("""
            SELECT CONCAT_WS('|', m.uuid, f.url, f.uuid, ml.total, ml.clicked) FROM phplist_linktrack_ml ml
            JOIN phplist_linktrack_forward f ON f.id = ml.forwardid JOIN phplist_message m ON m.id = ml.messageid ORDER BY 1
            """)
        lines += try await probe.strings("SELECT CONCAT_WS('|', l.name, COUNT(*)) FROM phplist_listuser m JOIN phplist_list l ON l.id = m.listid GROUP BY l.name ORDER BY 1")
        return lines
    }

    static let copiedTables = [
        "phplist_user_user", "phplist_user_user_attribute", "phplist_list", "phplist_listuser", "phplist_message", "phplist_messagedata",
        "phplist_listmessage", "phplist_usermessage", "phplist_bounce", "phplist_user_message_bounce", "phplist_user_blacklist",
        "phplist_user_blacklist_data", "phplist_user_user_history", "phplist_template", "phplist_attachment", "phplist_message_attachment",
        "phplist_linktrack_forward", "phplist_linktrack_ml", "phplist_linktrack_uml_click",
    ]

    @Test func bouncedSampleIntoAFreshInstall() async throws {
        let source = try await TestDatabase.create(loading: .sampleBounced)
        let target = try await ImportFixtures.freshInstall()
        defer { Task { try? await source.drop(); try? await target.drop() } }
        let (from, to) = (Probe(database: source), Probe(database: target))

        let report = try await ImportFixtures.run(into: target, from: source, batchSize: 300)
        #expect(report.sourceGeneration == "3.x")
        #expect(report["subscribers"].added == 2001)
        #expect(report["bounces"].added == 4)
        for table in Self.copiedTables {
            #expect(try await to.int("SELECT COUNT(*) FROM `\(table)`") == (try await from.int("SELECT COUNT(*) FROM `\(table)`")), "\(table)")
        }
        #expect(try await Self.statistics(to) == (try await Self.statistics(from)))
        // uuids and uniqids were free in the target: kept, so links in mail already sent still work.
        #expect(try await to.strings("SELECT CONCAT(email, uniqid, uuid) FROM phplist_user_user ORDER BY 1")
                == (try await from.strings("SELECT CONCAT(email, uniqid, uuid) FROM phplist_user_user ORDER BY 1")))
        #expect(try await to.strings("SELECT CONCAT(v.value, '|', c.name) FROM phplist_user_user_attribute v JOIN phplist_listattr_country c ON c.id = v.value WHERE v.attributeid = 3 ORDER BY 1").count
                == (try await from.int("SELECT COUNT(*) FROM phplist_user_user_attribute WHERE attributeid = 3 AND value <> ''")))

        let counts = try await to.counts()
        _ = try await ImportFixtures.run(into: target, from: source)
        #expect(try await to.counts() == counts)
    }

    @Test func dryRunIntoAFreshInstallWritesNothing() async throws {
        let source = try await TestDatabase.create(loading: .sampleBounced)
        let target = try await ImportFixtures.freshInstall()
        defer { Task { try? await source.drop(); try? await target.drop() } }
        let to = Probe(database: target)
        let before = try await to.counts()
        let report = try await ImportFixtures.run(into: target, from: source, dryRun: true)
        #expect(report["subscribers"].added == 2001)
        #expect(report["attribute values"].added > 0)
        #expect(try await to.counts() == before)
        #expect(try await to.int("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'phplist_listattr%'") == 0)
    }

    @Test func bouncedSampleIntoAnOverlappingCopyOfTheSentOne() async throws {
        let source = try await TestDatabase.create(loading: .sampleBounced)
        let target = try await ImportFixtures.target(.sampleSent)
        defer { Task { try? await source.drop(); try? await target.drop() } }
        let (from, to) = (Probe(database: source), Probe(database: target))
        // The target lacks subscribers 1501.. (and their rows) and has one list of its own.
        let pool = target.pool(maxConnections: 1)
        try await pool.executeScript("""
            DELETE FROM phplist_usermessage WHERE userid > 1500; DELETE FROM phplist_listuser WHERE userid > 1500;
            DELETE FROM phplist_user_user_attribute WHERE userid > 1500; DELETE FROM phplist_user_user_history WHERE userid > 1500;
            DELETE FROM phplist_user_user WHERE id > 1500;
            INSERT INTO phplist_list (name, description, entered, active) VALUES ('Target only', '', NOW(), 1);
            UPDATE phplist_message SET viewed = 1000 WHERE id = 2
            """)
        // Both databases processed one bounce (the target holds a copy of the source's first one, linked
        // alike, counted on its subscriber), and the target processed one of its own for the source's
        // other bounced subscriber.
        let shared = try #require(try await from.rows("""
            SELECT b.id, x.`user` AS u FROM phplist_bounce b JOIN phplist_user_message_bounce x ON x.bounce = b.id
            WHERE x.`user` <= 1500 AND x.message = 2 ORDER BY b.id LIMIT 1
            """).first)
        let (sharedBounce, bouncer) = (try shared.decode("id", as: Int64.self), try shared.decode("u", as: Int64.self))
        let other = try await from.int("SELECT `user` FROM phplist_user_message_bounce WHERE `user` <= 1500 AND `user` <> ? LIMIT 1", [bouncer])
        #expect(other > 0)
        try await pool.executeScript("""
            CREATE TEMPORARY TABLE b AS SELECT * FROM `\(source.name)`.phplist_bounce WHERE id = \(sharedBounce);
            INSERT INTO phplist_bounce (date, header, data, status, comment) SELECT date, header, data, status, comment FROM b;
            INSERT INTO phplist_user_message_bounce (`user`, message, bounce, `time`) VALUES (\(bouncer), 2, LAST_INSERT_ID(), NOW());
            INSERT INTO phplist_bounce (date, header, data, status, comment) VALUES ('2026-01-02 03:04:05', 'target only', '', 'bounced list message 2', '');
            INSERT INTO phplist_user_message_bounce (`user`, message, bounce, `time`) VALUES (\(other), 2, LAST_INSERT_ID(), NOW());
            UPDATE phplist_user_user SET bouncecount = 1 WHERE id IN (\(bouncer), \(other));
            UPDATE phplist_message SET bouncecount = 2 WHERE id = 2
            """)
        await pool.shutdown()
        let bouncerCount = try await from.int("SELECT bouncecount FROM phplist_user_user WHERE id = ?", [bouncer])
        let otherCount = try await from.int("SELECT bouncecount FROM phplist_user_user WHERE id = ?", [other])
        let campaignBounces = try await from.int("SELECT COUNT(*) FROM phplist_user_message_bounce WHERE message = 2")
        let sendsBefore = try await to.int("SELECT COUNT(*) FROM phplist_usermessage")
        let sendsInSource = try await from.int("SELECT COUNT(*) FROM phplist_usermessage")
        let campaigns = try await from.int("SELECT COUNT(*) FROM phplist_message")

        let report = try await ImportFixtures.run(into: target, from: source)
        #expect(report["subscribers"].added == 501)
        #expect(report["subscribers"].merged == 1500)
        #expect(report["lists"].merged == 4)
        #expect(report["campaigns"].merged == campaigns && report["campaigns"].added == 0)
        #expect(report["send history"].merged == sendsBefore && report["send history"].added == sendsInSource - sendsBefore)
        // The shared bounce is one bounce (merged), the target's own stays.
        #expect(report["bounces"].added == 3 && report["bounces"].merged == 1)

        for table in ["phplist_user_user", "phplist_listuser", "phplist_usermessage",
                      "phplist_message", "phplist_user_blacklist", "phplist_user_user_history", "phplist_user_user_attribute"] {
            #expect(try await to.int("SELECT COUNT(*) FROM `\(table)`") == (try await from.int("SELECT COUNT(*) FROM `\(table)`")), "\(table)")
        }
        for table in ["phplist_bounce", "phplist_user_message_bounce"] {
            #expect(try await to.int("SELECT COUNT(*) FROM `\(table)`") == (try await from.int("SELECT COUNT(*) FROM `\(table)`")) + 1, "\(table)")
        }
        #expect(try await to.int("SELECT COUNT(*) FROM phplist_list") == 5)
        // The campaign's counters: bounce count from the united links (the shared bounce once, plus the
        // target's own), the others the larger of the two.
        #expect(try await to.strings("SELECT CONCAT_WS('|', bouncecount, viewed, processed) FROM phplist_message WHERE id = 2")
                == ["\(campaignBounces + 1)|1000|" + (try await from.strings("SELECT processed FROM phplist_message WHERE id = 2"))[0]])
        // The subscribers' too: the shared bounce counted once; the source's bounce and the target's own
        // add up (the larger of the two counts would be one short).
        #expect(try await to.int("SELECT bouncecount FROM phplist_user_user WHERE id = ?", [bouncer]) == bouncerCount)
        #expect(try await to.int("SELECT COUNT(*) FROM phplist_user_message_bounce WHERE `user` = ?", [bouncer]) == bouncerCount)
        #expect(try await to.int("SELECT bouncecount FROM phplist_user_user WHERE id = ?", [other]) == otherCount + 1)
        #expect(try await to.int("SELECT COUNT(*) FROM phplist_user_message_bounce WHERE `user` = ?", [other]) == otherCount + 1)
        // The subscriber the bounce rule blacklisted is blacklisted in the target too (stricter state).
        let blacklisted = try await from.strings("SELECT email FROM phplist_user_user WHERE blacklisted = 1 ORDER BY 1")
        #expect(!blacklisted.isEmpty)
        #expect(try await to.strings("SELECT email FROM phplist_user_user WHERE blacklisted = 1 ORDER BY 1") == blacklisted)
        #expect(try await to.strings("SELECT CONCAT_WS('|', email, bouncecount) FROM phplist_user_user WHERE bouncecount > 0 AND id <> ? ORDER BY 1", [other])
                == (try await from.strings("SELECT CONCAT_WS('|', email, bouncecount) FROM phplist_user_user WHERE bouncecount > 0 AND id <> ? ORDER BY 1", [other])))

        // PHPList's statistics read the same numbers as in the source: sends per campaign and status,
        // link clicks per campaign, each subscriber's history.
        let sends = """
            SELECT CONCAT_WS('|', m.uuid, um.status, COUNT(*)) FROM phplist_usermessage um JOIN phplist_message m ON m.id = um.messageid
            GROUP BY m.uuid, um.status ORDER BY 1
            """
        #expect(try await to.strings(sends) == (try await from.strings(sends)))
        let clicks = """
            SELECT CONCAT_WS('|', m.uuid, f.url, ml.total, ml.clicked, ml.htmlclicked, ml.textclicked) FROM phplist_linktrack_ml ml
            JOIN phplist_linktrack_forward f ON f.id = ml.forwardid JOIN phplist_message m ON m.id = ml.messageid ORDER BY 1
            """
        #expect(try await to.strings(clicks) == (try await from.strings(clicks)))
        let histories = """
            SELECT CONCAT_WS('|', LOWER(u.email), COUNT(h.id), MAX(h.date)) FROM phplist_user_user u
            LEFT JOIN phplist_user_user_history h ON h.userid = u.id GROUP BY u.id ORDER BY 1
            """
        #expect(try await to.strings(histories) == (try await from.strings(histories)))

        // verify: every kind counted, a sample of each found in the target.
        let verifyPool = target.pool(maxConnections: 1)
        let verified = try await ImportVerifier(target: verifyPool, source: source.configuration, sampleSize: 50).run()
        await verifyPool.shutdown()
        #expect(verified.rowDifferences.isEmpty, "\(verified.rowDifferences)")
        #expect(Set(verified.rowSamples.map(\.kind)).isSuperset(of: ["lists", "campaigns", "send history", "bounces", "bounce links",
                                                                     "list memberships", "attribute values of subscribers", "tracked links",
                                                                     "campaign link clicks", "subscriber history", "blacklist", "attachments"]),
                "\(verified.rowSamples)")
        #expect(verified.rowSamples.allSatisfy { $0.missing == 0 })
    }
}
