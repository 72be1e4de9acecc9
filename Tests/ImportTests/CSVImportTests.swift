import FacteurTesting
import Foundation
import Import
import MariaDB
import Testing

@Suite struct CSVImportTests {
    /// A generated file and what a correct import of it must give, decided while generating.
    struct GeneratedCSV {
        var text = "email,firstname,lastname,country,Shoe size\n"
        var line = 2
        var fresh: [String] = []
        var existing = Set<String>()
        /// line → a word the reason must contain
        var rejected: [Int: String] = [:]
        var firstnames: [String: String] = [:]

        mutating func add(_ row: String, lines: Int = 1) {
            text += row + "\n"
            line += lines
        }
    }

    static func generate(rows: Int, existing: [String]) -> GeneratedCSV {
        var csv = GeneratedCSV()
        let countries = ["Germany", "France", "Narnia", "Österreich"]
        var previous = ""
        for i in 0..<rows {
            let line = csv.line
            let email = "csv\(i)@import.example.com"
            switch i % 100 {
            case 7:
                csv.rejected[line] = "invalid"
                csv.add("not an address \(i)@@example.com,A,B,Germany,42")
            case 13:
                csv.rejected[line] = "duplicate"
                csv.add("\(previous.uppercased()),Dup,Licate,France,40")
            case 29:
                csv.rejected[line] = "fields"
                csv.add("broken\(i)@import.example.com,only-two-fields")
            case 41:
                csv.rejected[line] = "no email"
                csv.add(",No,Address,Germany,39")
            case 53 where !existing.isEmpty:
                let known = existing[(i / 100) % existing.count]
                csv.existing.insert(known.lowercased())
                csv.add("\(known),Known,Person,Germany,41")
            case 71:
                // A quoted field with the delimiter, a doubled quote and a newline: one row on two lines.
                csv.fresh.append(email)
                csv.firstnames[email] = "Ann, \"Jr\"\nSecond"
                csv.add("\(email),\"Ann, \"\"Jr\"\"\nSecond\",Smith,Germany,38", lines: 2)
                previous = email
            default:
                csv.fresh.append(email)
                csv.firstnames[email] = "First\(i)"
                csv.add("\(email),First\(i),Last\(i),\(countries[i % countries.count]),\(i % 10 + 36)")
                previous = email
            }
        }
        csv.rejected[csv.line] = "unterminated"
        csv.add("\"unterminated@import.example.com,X,Y,Germany,40")
        return csv
    }

    @Test func hundredThousandRowsWithBadOnesReportedByLine() async throws {
        let target = try await ImportFixtures.target(.sampleSent)
        defer { Task { try? await target.drop() } }
        let probe = Probe(database: target)
        let existing = try await probe.strings("SELECT email FROM phplist_user_user WHERE id > 1 AND email NOT LIKE '%test.example' ORDER BY id LIMIT 1000")
        let csv = Self.generate(rows: 100_000, existing: existing)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-import-\(UUID().uuidString).csv").path
        try csv.text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let usersBefore = try await probe.int("SELECT COUNT(*) FROM phplist_user_user")
        let listBefore = try await probe.int("SELECT COUNT(*) FROM phplist_listuser WHERE listid = 2")

        let pool = target.pool(maxConnections: 1)
        let report = try await CSVImporter(target: pool, options: CSVImportOptions(path: path, listID: 2)).run()
        await pool.shutdown()

        #expect(report.added == csv.fresh.count)
        #expect(report.existing == csv.existing.count)
        #expect(report.ignoredColumns == ["Shoe size"])
        #expect(report.rejected.count == csv.rejected.count)
        for rejected in report.rejected {
            let word = csv.rejected[rejected.line]
            #expect(word.map { rejected.reason.contains($0) } == true, "line \(rejected.line): \(rejected.reason)")
        }
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_user_user") == usersBefore + csv.fresh.count)
        #expect(try await probe.int("SELECT COUNT(*) - COUNT(DISTINCT LOWER(email)) FROM phplist_user_user") == 0)
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_listuser WHERE listid = 2") == listBefore + report.subscribedToList)
        #expect(try await probe.int("""
            SELECT COUNT(*) FROM phplist_listuser m JOIN phplist_user_user u ON u.id = m.userid
            WHERE m.listid = 2 AND u.email LIKE 'csv%@import.example.com'
            """) == csv.fresh.count)
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_user_user WHERE email LIKE 'csv%' AND (confirmed <> 1 OR htmlemail <> 1)") == 0)
        // Attribute values, including the quoted multi-line one and select values stored as value-table ids.
        for email in [csv.fresh[0], csv.fresh[70], csv.fresh[csv.fresh.count - 1]] {
            #expect(try await probe.strings("""
                SELECT v.value FROM phplist_user_user_attribute v JOIN phplist_user_user u ON u.id = v.userid WHERE v.attributeid = 1 AND u.email = ?
                """, [email]) == [csv.firstnames[email]!])
        }
        #expect(try await probe.strings("""
            SELECT DISTINCT c.name FROM phplist_user_user_attribute v JOIN phplist_user_user u ON u.id = v.userid
            JOIN phplist_listattr_country c ON c.id = v.value WHERE v.attributeid = 3 AND u.email LIKE 'csv%' ORDER BY 1
            """) == ["France", "Germany", "Narnia", "Österreich"])
        // An existing subscriber keeps non-blank values.
        #expect(try await probe.strings("""
            SELECT v.value FROM phplist_user_user_attribute v JOIN phplist_user_user u ON u.id = v.userid WHERE v.attributeid = 1 AND u.email = ?
            """, [existing[0]]) != ["Known"])

        // Importing the same file again creates nobody.
        let again = try await CSVImporter(target: target.pool(maxConnections: 1), options: CSVImportOptions(path: path, listID: 2)).run()
        #expect(again.added == 0)
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_user_user") == usersBefore + csv.fresh.count)
    }

    @Test func phplistExportFormatWithMappingAndFlags() async throws {
        let target = try await ImportFixtures.target(.sampleSent)
        defer { Task { try? await target.drop() } }
        let probe = Probe(database: target)
        // As admin/actions/export.php writes it: tab-separated labels, every field followed by a tab, lists last.
        let text = "id\tEmail\tIs this subscriber confirmed\tSend this subscriber HTML emails\tfirstname\tNachname\tList Membership\n"
            + "17\tanna@export.example.org\t1\t0\tAnna\tWeber\tnewsletter \n"
            + "18\tbad@@export.example.org\t1\t1\tBad\tRow\tnewsletter \n"
            + "19\tben@export.example.org\t1\t1\tBen\tKurz\tNo Lists\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-export-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let pool = target.pool(maxConnections: 1)
        let report = try await CSVImporter(target: pool, options: CSVImportOptions(
            path: path, listID: 4, mappings: ["Nachname": "lastname"], unconfirmed: true)).run()
        await pool.shutdown()
        #expect(report.added == 2)
        #expect(report.rejected.map(\.line) == [3])
        #expect(try await probe.strings("SELECT CONCAT_WS('|', email, confirmed, htmlemail) FROM phplist_user_user WHERE email LIKE '%@export.example.org' ORDER BY 1")
                == ["anna@export.example.org|0|0", "ben@export.example.org|0|1"])
        #expect(try await probe.strings("""
            SELECT v.value FROM phplist_user_user_attribute v JOIN phplist_user_user u ON u.id = v.userid
            WHERE v.attributeid = 2 AND u.email = 'anna@export.example.org'
            """) == ["Weber"])
        // "List Membership" is skipped as PHPList's import2.php skips it: both are on --list only, not on newsletter.
        #expect(try await probe.strings("""
            SELECT CONCAT_WS('|', u.email, m.listid) FROM phplist_listuser m JOIN phplist_user_user u ON u.id = m.userid
            WHERE u.email LIKE '%@export.example.org' ORDER BY 1
            """) == ["anna@export.example.org|4", "ben@export.example.org|4"])
    }
}
