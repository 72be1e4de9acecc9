import FacteurTesting
import Foundation
import Import
import MariaDB
import Testing

/// The 2.11-era database (MyISAM/latin1, mixed latin1 and double-encoded UTF-8) into a database
/// holding the 3.6.15 sample.
@Suite struct OldPHPListImportTests {
    @Test func importsIntoTheSampleWithRightNamesAndMerges() async throws {
        let source = try await TestDatabase.create(loading: .oldSample)
        let target = try await ImportFixtures.target(.sampleSent)
        defer { Task { try? await source.drop(); try? await target.drop() } }
        let probe = Probe(database: target)

        let report = try await ImportFixtures.run(into: target, from: source)
        #expect(report.sourceGeneration == "2.x")
        #expect(report.sourceVersion == "2.11.6")
        #expect(report["subscribers"].added == 299)
        #expect(report["subscribers"].merged == 1)
        #expect(report["lists"].added == 1)
        #expect(report["lists"].merged == 2)
        #expect(report["campaigns"].added == 3)
        #expect(report["admins"].skipped["admin accounts are not imported"] == 1)
        #expect(report.configDifferences.contains { $0.item == "website" && $0.source == "www.example.org" })
        #expect(report.encoding.utf8InLatin1Values > 0 && report.encoding.latin1Values > 0)

        // Every value of expected-names.tsv, read back from the UTF-8 target.
        let expected = try String(contentsOf: TestServices.compatFile("old-2.11/expected-names.tsv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(expected.count > 40)
        for line in expected {
            let (email, attribute, value) = (line[0], line[1], line[2])
            let sql = attribute == "country"
                ? """
                  SELECT c.name FROM phplist_user_user u JOIN phplist_user_user_attribute v ON v.userid = u.id
                  JOIN phplist_user_attribute a ON a.id = v.attributeid AND a.name = 'country'
                  JOIN phplist_listattr_country c ON c.id = v.value WHERE u.email = ?
                  """
                : """
                  SELECT v.value FROM phplist_user_user u JOIN phplist_user_user_attribute v ON v.userid = u.id
                  JOIN phplist_user_attribute a ON a.id = v.attributeid AND a.name = ? WHERE u.email = ?
                  """
            let found = try await probe.strings(sql, attribute == "country" ? [email] : [attribute, email])
            #expect(found == [value], "\(email) \(attribute)")
        }

        // User0001@Example.NET is user0001@example.net: one row, the target's names kept, lists united.
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_user_user WHERE LOWER(email) = 'user0001@example.net'") == 1)
        #expect(try await probe.strings("""
            SELECT v.value FROM phplist_user_user_attribute v JOIN phplist_user_attribute a ON a.id = v.attributeid
            WHERE a.name = 'firstname' AND v.userid = 2
            """) == ["Ursula"])
        #expect(try await probe.strings("""
            SELECT l.name FROM phplist_listuser m JOIN phplist_list l ON l.id = m.listid WHERE m.userid = 2 ORDER BY l.name
            """) == ["Customers", "newsletter"])

        // Lists by name: newsletter and test stay one list each; Événements is new, in UTF-8.
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_list WHERE name = 'newsletter'") == 1)
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_list WHERE name = 'test'") == 1)
        #expect(try await probe.strings("SELECT name FROM phplist_list WHERE id > 4") == ["Événements"])
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_user_user") == 2001 + 299)

        // Campaign text in both encodings; 2.x status strings mapped; counters from the united rows.
        let subjects = try await probe.strings("SELECT subject FROM phplist_message WHERE id > 2 ORDER BY id")
        #expect(subjects.contains("Agenda des événements : printemps 2011"))
        #expect(subjects.contains("Sommerfest 2011 – Grüße an Zoë, Łukasz & Дмитрий"))
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_usermessage WHERE status = 'invalid email'") == 0)
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_usermessage WHERE status = 'invalid email address' AND messageid > 2") == 6)
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_usermessage WHERE messageid > 2") == 580)
        #expect(try await probe.strings("SELECT bouncecount FROM phplist_message WHERE id > 2 ORDER BY sent") == ["6", "4", "5"])
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_user_message_bounce WHERE message > 2") == 15)
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_user_blacklist WHERE email = 'complaints-only@example.com'") == 1)
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_user_user WHERE uuid = '' OR uuid IS NULL") == 0)
        // The bounce pages read "bounced list message N" with the target's campaign ids.
        #expect(try await probe.int("""
            SELECT COUNT(*) FROM phplist_bounce b WHERE b.status LIKE 'bounced list message %'
            AND CAST(SUBSTRING(b.status, 22) AS UNSIGNED) IN (SELECT id FROM phplist_message WHERE id > 2)
            """) == 15)

        // verify: every source subscriber sampled; the only differences are the merged subscriber's kept names.
        let pool = target.pool(maxConnections: 1)
        let verified = try await ImportVerifier(target: pool, source: source.configuration, sampleSize: 300).run()
        await pool.shutdown()
        #expect(verified.sampled == 300)
        let subscribers = try #require(verified.counts.first { $0.table == "subscribers" })
        #expect(subscribers.source == 300 && subscribers.target == 2300)
        #expect(!verified.differences.isEmpty && verified.differences.allSatisfy { $0.hasPrefix("User0001@Example.NET: ") }, "\(verified.differences)")
        #expect(verified.differences.contains { $0.contains("firstname \"Ulla\" in the source, \"Ursula\" in the target") })

        // A second run adds nothing.
        let before = try await probe.counts()
        let again = try await ImportFixtures.run(into: target, from: source)
        #expect(try await probe.counts() == before)
        #expect(again["subscribers"].added == 0 && again["campaigns"].added == 0)
    }

    @Test func dryRunReportsTheSameAndWritesNothing() async throws {
        let source = try await TestDatabase.create(loading: .oldSample)
        let target = try await ImportFixtures.target(.sampleSent)
        defer { Task { try? await source.drop(); try? await target.drop() } }
        let probe = Probe(database: target)
        let before = try await probe.counts()
        let dry = try await ImportFixtures.run(into: target, from: source, dryRun: true)
        #expect(try await probe.counts() == before)
        #expect(try await probe.int("SELECT COUNT(*) FROM facteur_import_map") == 0)
        let real = try await ImportFixtures.run(into: target, from: source)
        #expect(dry["subscribers"] == real["subscribers"])
        #expect(dry["campaigns"] == real["campaigns"])
        #expect(dry["send history"] == real["send history"])
        #expect(dry.text.hasPrefix("DRY RUN"))
    }
}
