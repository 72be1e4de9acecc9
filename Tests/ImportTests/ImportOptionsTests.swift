import FacteurTesting
import Foundation
import Import
import MariaDB
import PHPList
import Testing

/// `--prefix`/`--user-prefix` (a source whose tables are named otherwise) and `--keep-lists-apart`.
@Suite struct ImportOptionsTests {
    /// The 2.11 sample with its tables renamed as PHPList names them under other prefixes: its four user
    /// tables (`$DBstructuser` in PHPList's structure.php) → `legacy_u_*`, every other table, the
    /// `user_blacklist*` and `user_message_bounce` ones included, → `legacy_*`.
    static func renamedOldSample() async throws -> TestDatabase {
        let source = try await TestDatabase.create(loading: .oldSample)
        let probe = Probe(database: source)
        let tables = try await probe.strings("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1")
        let renames = tables.map { table in
            let userTables: Set = ["phplist_user_user", "phplist_user_attribute", "phplist_user_user_attribute",
                                   "phplist_user_user_history"]
            let renamed = userTables.contains(table) ? "legacy_u_" + table.dropFirst("phplist_user_".count)
                : "legacy_" + table.dropFirst("phplist_".count)
            return "`\(table)` TO `\(renamed)`"
        }
        let pool = source.pool(maxConnections: 1)
        _ = try await pool.execute("RENAME TABLE " + renames.joined(separator: ", "))
        await pool.shutdown()
        return source
    }

    static func run(into target: TestDatabase, from source: TestDatabase, sourceTables: TableNames = TableNames(),
                    keepListsApart: Bool = false) async throws -> ImportReport {
        let pool = target.pool(maxConnections: 1)
        defer { Task { await pool.shutdown() } }
        return try await PHPListImporter(target: pool, options: PHPListImportOptions(
            source: source.configuration, sourceTables: sourceTables, keepListsApart: keepListsApart)).run()
    }

    @Test func otherTablePrefixesFromTheCommandLineComeOutAsTheDefaultOnes() async throws {
        let renamed = try await Self.renamedOldSample()
        let plain = try await TestDatabase.create(loading: .oldSample)
        let viaPrefixes = try await ImportFixtures.target(.sampleSent)
        let viaDefaults = try await ImportFixtures.target(.sampleSent)
        defer { Task { try? await renamed.drop(); try? await plain.drop(); try? await viaPrefixes.drop(); try? await viaDefaults.drop() } }
        #expect(try await Probe(database: renamed).int("SELECT COUNT(*) FROM legacy_u_user") == 300)

        // Without the prefixes the renamed source is not recognised, and the message says which names were looked for.
        await #expect(throws: ImportError.self) { _ = try await Self.run(into: viaPrefixes, from: renamed) }

        let config = try ResumeImportTests.configFile(for: viaPrefixes)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let result = try await FacteurCommand.built().run(["--config", config, "import", "phplist", "--from", renamed.url,
                                                           "--prefix", "legacy_", "--user-prefix", "legacy_u_"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("subscribers: 299 added, 1 merged"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("campaigns: 3 added"))

        let report = try await Self.run(into: viaDefaults, from: plain)
        #expect(report["subscribers"].added == 299)
        #expect(try await Probe(database: viaPrefixes).fingerprint() == (try await Probe(database: viaDefaults).fingerprint()))
        // The select attribute's values came from legacy_listattr_country.
        #expect(try await Probe(database: viaPrefixes).int("SELECT COUNT(*) FROM phplist_listattr_country WHERE name = 'Österreich'") == 1)

        // verify with the same prefixes finds every sampled row.
        let pool = viaPrefixes.pool(maxConnections: 1)
        let verified = try await ImportVerifier(target: pool, source: renamed.configuration,
                                                sourceTables: TableNames(prefix: "legacy_", userPrefix: "legacy_u_"), sampleSize: 40).run()
        await pool.shutdown()
        #expect(verified.rowDifferences.isEmpty, "\(verified.rowDifferences)")
        #expect(verified.counts.first { $0.table == "subscribers" }?.source == 300)
        #expect(verified.rowSamples.count >= 10, "\(verified.rowSamples)")

        // The command, every subscriber sampled: it exits 1 because the merged User0001 kept the target's names.
        let verify = try await FacteurCommand.built().run(["--config", config, "import", "verify", "--from", renamed.url,
                                                           "--prefix", "legacy_", "--user-prefix", "legacy_u_", "--sample", "300"])
        #expect(verify.status == 1, "\(verify.standardError)")
        #expect(verify.standardOutput.contains("  subscribers: 300 → 2300"), "\(verify.standardOutput)")
        #expect(verify.standardOutput.contains(", 0 missing in the target"), "\(verify.standardOutput)")
        #expect(verify.standardOutput.contains("User0001@Example.NET: firstname \"Ulla\" in the source, \"Ursula\" in the target"))
    }

    @Test func keepListsApartImportsSameNamedListsAsSeparateLists() async throws {
        let source = try await TestDatabase.create(loading: .oldSample)
        let target = try await ImportFixtures.target(.sampleSent)
        defer { Task { try? await source.drop(); try? await target.drop() } }
        let probe = Probe(database: target)
        let targetNewsletter = try await probe.int("SELECT id FROM phplist_list WHERE name = 'newsletter'")
        let membersBefore = try await probe.int("SELECT COUNT(*) FROM phplist_listuser WHERE listid = ?", [targetNewsletter])

        let report = try await Self.run(into: target, from: source, keepListsApart: true)
        #expect(report["lists"].added == 3 && report["lists"].merged == 0)
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_list") == 4 + 3)
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_list WHERE name = 'newsletter'") == 2)
        // The target's newsletter is untouched; the imported one has the source's 246 members.
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_listuser WHERE listid = ?", [targetNewsletter]) == membersBefore)
        #expect(try await probe.int("""
            SELECT COUNT(*) FROM phplist_listuser m JOIN phplist_list l ON l.id = m.listid WHERE l.name = 'newsletter' AND l.id <> ?
            """, [targetNewsletter]) == 246)
        // User0001 (merged by address) is on the target's Customers and on the imported newsletter.
        #expect(try await probe.strings("""
            SELECT CONCAT(l.name, IF(l.id > 4, ' (imported)', '')) FROM phplist_listuser m JOIN phplist_list l ON l.id = m.listid
            WHERE m.userid = 2 ORDER BY 1
            """) == ["Customers", "newsletter (imported)"])
        // The campaigns point at the imported lists.
        #expect(try await probe.int("""
            SELECT COUNT(*) FROM phplist_listmessage lm JOIN phplist_message m ON m.id = lm.messageid WHERE m.id > 2 AND lm.listid <= 4
            """) == 0)

        // A second run merges nothing into the target's own lists either.
        let counts = try await probe.counts()
        _ = try await Self.run(into: target, from: source, keepListsApart: true)
        #expect(try await probe.counts() == counts)
    }
}
