import FacteurTesting
import Foundation
import Import
import MariaDB
import Testing

/// Link-tracking data PHPList 2.x kept (`linktrack`, `linktrack_userclick`), template images and
/// campaign views: copied with the target's ids, a second run adds nothing.
@Suite struct LinkTrackingImportTests {
    @Test func legacyLinksClicksAndTemplateImagesFromThe211Sample() async throws {
        let source = try await TestDatabase.create(loading: .oldSample)
        let target = try await ImportFixtures.target(.sampleSent)
        defer { Task { try? await source.drop(); try? await target.drop() } }
        let (from, to) = (Probe(database: source), Probe(database: target))
        // The sample's link tables are empty: rows as 2.11's lt.php and sendemaillib.php wrote them.
        let sourcePool = source.pool(maxConnections: 1)
        try await sourcePool.executeScript("""
            INSERT INTO phplist_linktrack (linkid, messageid, userid, url, forward, firstclick, latestclick, clicked) VALUES
              (1, 1, 5, 'http://www.example.org/a', 'http://www.example.org/a?uid=5', '2010-11-11 10:00:00', '2010-11-12 10:00:00', 2),
              (2, 1, 6, 'http://www.example.org/a', 'http://www.example.org/a?uid=6', '2010-11-11 11:00:00', '2010-11-11 11:00:00', 1),
              (3, 3, 7, 'http://www.example.org/b', 'http://www.example.org/b', NULL, '2011-09-05 00:00:00', 0),
              (4, 3, 99999, 'http://www.example.org/b', 'http://www.example.org/b', NULL, '2011-09-05 00:00:00', 0);
            INSERT INTO phplist_linktrack_userclick (linkid, userid, messageid, name, data, `date`) VALUES
              (1, 5, 1, 'HTTP_USER_AGENT', 'Mozilla/4.0', '2010-11-11 10:00:00'),
              (1, 5, 1, 'HTTP_USER_AGENT', 'Mozilla/4.0', '2010-11-12 10:00:00'),
              (2, 6, 1, 'HTTP_REFERER', 'http://mail.example.com/', '2010-11-11 11:00:00');
            INSERT INTO phplist_templateimage (template, mimetype, filename, data, width, height) VALUES
              (1, 'image/png', 'club-logo.png', 'PNG1', 10, 10),
              (0, 'image/png', 'powerphplist.png', 'PNG2', 70, 30),
              (0, 'image/gif', 'spacer.gif', 'GIF1', 1, 1)
            """)
        await sourcePool.shutdown()
        // The target already uses linkid 2.
        let targetPool = target.pool(maxConnections: 1)
        _ = try await targetPool.execute("INSERT INTO phplist_linktrack (linkid, messageid, userid, url, forward, clicked) VALUES (2, 999, 999, 'x', 'x', 0)")
        await targetPool.shutdown()

        let report = try await ImportFixtures.run(into: target, from: source)
        #expect(report["legacy tracked links"].added == 3)
        #expect(report["legacy tracked links"].skipped["campaign or subscriber not imported"] == 1)
        #expect(report["legacy link clicks"].added == 3)
        #expect(report["template images"].added == 2 && report["template images"].merged == 1)
        #expect(report.notes.contains { $0.contains("no longer redirect") })
        #expect(!report.notes.contains { $0.contains("linktrack") && $0.contains("not imported") })

        // The same links, clicks and dates, under the target's campaign and subscriber ids (campaigns told by their send date:
        // the source's subjects are partly UTF-8 bytes in latin1, repaired by the import).
        let links = """
            SELECT CONCAT_WS('|', u.email, m.sent, l.url, l.forward, l.clicked, l.firstclick, l.latestclick) FROM phplist_linktrack l
            JOIN phplist_user_user u ON u.id = l.userid JOIN phplist_message m ON m.id = l.messageid ORDER BY 1
            """
        let (linksIn, linksOut) = (try await from.strings(links), try await to.strings(links))
        #expect(linksOut == linksIn)
        // linkid 1 and 3 were free and are kept (the id lt.php looks up); 2 was taken.
        let ids = try await to.strings("SELECT linkid FROM phplist_linktrack WHERE messageid <> 999 ORDER BY linkid").compactMap { Int($0) }
        #expect(ids.count == 3 && ids[0] == 1 && ids[1] == 3 && ids[2] > 3)
        let clicks = """
            SELECT CONCAT_WS('|', u.email, l.url, c.name, c.data, c.date) FROM phplist_linktrack_userclick c
            JOIN phplist_linktrack l ON l.linkid = c.linkid AND l.userid = c.userid AND l.messageid = c.messageid
            JOIN phplist_user_user u ON u.id = c.userid ORDER BY 1
            """
        let (clicksIn, clicksOut) = (try await from.strings(clicks), try await to.strings(clicks))
        #expect(clicksOut == clicksIn)
        #expect(try await to.strings(clicks).count == 3)

        // The new template brought its image; PHPList's own logo was there already; the other one is added.
        #expect(try await to.strings("""
            SELECT CONCAT_WS('|', t.title, i.filename, i.data) FROM phplist_templateimage i JOIN phplist_template t ON t.id = i.template
            """) == ["Club template 2011|club-logo.png|PNG1"])
        #expect(try await to.strings("SELECT filename FROM phplist_templateimage WHERE template = 0 ORDER BY filename") == ["powerphplist.png", "spacer.gif"])

        let counts = try await Probe(database: target).strings("""
            SELECT CONCAT((SELECT COUNT(*) FROM phplist_linktrack), '/', (SELECT COUNT(*) FROM phplist_linktrack_userclick), '/',
            (SELECT COUNT(*) FROM phplist_templateimage))
            """)
        let again = try await ImportFixtures.run(into: target, from: source)
        #expect(again["legacy tracked links"].added == 0 && again["legacy link clicks"].added == 0 && again["template images"].added == 0)
        #expect(try await Probe(database: target).strings("""
            SELECT CONCAT((SELECT COUNT(*) FROM phplist_linktrack), '/', (SELECT COUNT(*) FROM phplist_linktrack_userclick), '/',
            (SELECT COUNT(*) FROM phplist_templateimage))
            """) == counts)
    }

    @Test func campaignViewsOfThe3615Sample() async throws {
        let source = try await TestDatabase.create(loading: .sampleBounced)
        let target = try await ImportFixtures.freshInstall()
        defer { Task { try? await source.drop(); try? await target.drop() } }
        let sourcePool = source.pool(maxConnections: 1)
        try await sourcePool.executeScript("""
            INSERT INTO phplist_user_message_view (messageid, userid, viewed, ip, data) VALUES
              (2, 10, '2026-03-01 10:00:00', '192.0.2.1', 'a:0:{}'), (2, 11, '2026-03-01 11:00:00', '192.0.2.2', 'a:0:{}')
            """)
        await sourcePool.shutdown()
        let report = try await ImportFixtures.run(into: target, from: source)
        #expect(report["campaign views"].added == 2)
        let views = """
            SELECT CONCAT_WS('|', u.email, m.uuid, v.viewed, v.ip) FROM phplist_user_message_view v
            JOIN phplist_user_user u ON u.id = v.userid JOIN phplist_message m ON m.id = v.messageid ORDER BY 1
            """
        #expect(try await Probe(database: target).strings(views) == (try await Probe(database: source).strings(views)))
        let again = try await ImportFixtures.run(into: target, from: source)
        #expect(again["campaign views"].added == 0)
        #expect(try await Probe(database: target).int("SELECT COUNT(*) FROM phplist_user_message_view") == 2)
    }
}
