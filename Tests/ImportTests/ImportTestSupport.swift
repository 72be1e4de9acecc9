import FacteurTesting
import Foundation
import Import
import MariaDB
import PHPList

/// Databases for import tests: a target with Facteur's tables, a source, and ways to read both.
enum ImportFixtures {
    static let migrations = TestServices.repositoryRoot.appendingPathComponent("migrations")

    /// A target database loaded with `fixture` and migrated (Facteur's `facteur_*` tables).
    static func target(_ fixture: TestDatabase.Fixture) async throws -> TestDatabase {
        let database = try await TestDatabase.create(loading: fixture)
        let pool = database.pool(maxConnections: 1)
        try await MigrationRunner(pool: pool, migrations: Migration.load(from: migrations)).migrate()
        await pool.shutdown()
        return database
    }

    /// A fresh PHPList 3.6.15 install: its schema plus the config rows its installer writes.
    static func freshInstall() async throws -> TestDatabase {
        let database = try await target(.schema)
        let seed = TestServices.compatFile("phplist-3.6.15/seed-3.6.15-after-initialise.sql")
        let sql = try String(contentsOf: seed, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("/*M!999999") }.joined(separator: "\n")
        let pool = database.pool(maxConnections: 1)
        try await pool.executeScript(sql)
        await pool.shutdown()
        return database
    }

    static func importer(into target: TestDatabase, from source: TestDatabase, dryRun: Bool = false, keepListsApart: Bool = false,
                         batchSize: Int = 1000) -> (MariaDBPool, PHPListImporter) {
        let pool = target.pool(maxConnections: 1)
        let options = PHPListImportOptions(source: source.configuration, dryRun: dryRun, keepListsApart: keepListsApart, batchSize: batchSize)
        return (pool, PHPListImporter(target: pool, options: options))
    }

    static func run(into target: TestDatabase, from source: TestDatabase, dryRun: Bool = false, batchSize: Int = 1000) async throws -> ImportReport {
        let (pool, importer) = importer(into: target, from: source, dryRun: dryRun, batchSize: batchSize)
        defer { Task { await pool.shutdown() } }
        return try await importer.run()
    }
}

/// Read-only SQL on a test database.
struct Probe {
    let database: TestDatabase

    func rows(_ sql: String, _ params: [any MariaDBEncodable] = []) async throws -> [MariaDBRow] {
        let pool = database.pool(maxConnections: 1)
        defer { Task { await pool.shutdown() } }
        return try await pool.query(sql, params)
    }

    func int(_ sql: String, _ params: [any MariaDBEncodable] = []) async throws -> Int {
        try await rows(sql, params).first?.decode(0, as: Int?.self) ?? 0
    }

    func strings(_ sql: String, _ params: [any MariaDBEncodable] = []) async throws -> [String] {
        try await rows(sql, params).map { try $0.decode(0, as: String?.self) ?? "NULL" }
    }

    static let phplistTables = [
        "phplist_user_user", "phplist_user_user_attribute", "phplist_user_attribute", "phplist_list", "phplist_listuser",
        "phplist_message", "phplist_messagedata", "phplist_listmessage", "phplist_usermessage", "phplist_bounce",
        "phplist_user_message_bounce", "phplist_user_blacklist", "phplist_user_blacklist_data", "phplist_user_user_history",
        "phplist_template", "phplist_templateimage", "phplist_attachment", "phplist_message_attachment", "phplist_config", "phplist_admin",
        "phplist_linktrack_forward", "phplist_linktrack_ml", "phplist_linktrack_uml_click", "phplist_linktrack", "phplist_linktrack_userclick",
        "phplist_user_message_view",
    ]

    /// Row count of every PHPList table (to show that a second run adds nothing).
    func counts() async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for table in Self.phplistTables { result[table] = try await int("SELECT COUNT(*) FROM `\(table)`") }
        return result
    }

    /// The target's content without its ids (which differ between runs: InnoDB does not reuse
    /// auto-increment values a rolled-back batch took) and without generated uuids.
    func fingerprint() async throws -> [String] {
        var lines: [String] = []
        lines += try await strings("SELECT CONCAT_WS('|', LOWER(email), confirmed, blacklisted, bouncecount, uniqid, htmlemail) FROM phplist_user_user ORDER BY 1")
        lines += try await strings("""
            SELECT CONCAT_WS('|', LOWER(u.email), a.name, v.value) FROM phplist_user_user_attribute v
            JOIN phplist_user_user u ON u.id = v.userid JOIN phplist_user_attribute a ON a.id = v.attributeid ORDER BY 1
            """)
        lines += try await strings("""
            SELECT CONCAT_WS('|', LOWER(u.email), l.name) FROM phplist_listuser m JOIN phplist_user_user u ON u.id = m.userid
            JOIN phplist_list l ON l.id = m.listid ORDER BY 1
            """)
        lines += try await strings("""
            SELECT CONCAT_WS('|', LOWER(u.email), m.subject, um.status, um.entered) FROM phplist_usermessage um
            JOIN phplist_user_user u ON u.id = um.userid JOIN phplist_message m ON m.id = um.messageid ORDER BY 1
            """)
        lines += try await strings("""
            SELECT CONCAT_WS('|', LOWER(u.email), m.subject, b.date) FROM phplist_user_message_bounce x
            JOIN phplist_user_user u ON u.id = x.user JOIN phplist_message m ON m.id = x.message JOIN phplist_bounce b ON b.id = x.bounce ORDER BY 1
            """)
        lines += try await strings("SELECT CONCAT_WS('|', subject, status, processed, viewed, bouncecount, sent) FROM phplist_message ORDER BY 1")
        lines += try await strings("SELECT CONCAT_WS('|', name, active) FROM phplist_list ORDER BY 1")
        lines += try await strings("SELECT CONCAT_WS('|', LOWER(u.email), h.date, h.summary) FROM phplist_user_user_history h JOIN phplist_user_user u ON u.id = h.userid ORDER BY 1")
        lines += try await strings("SELECT LOWER(email) FROM phplist_user_blacklist ORDER BY 1")
        lines += try await strings("SELECT CONCAT_WS('|', date, status) FROM phplist_bounce ORDER BY 1")
        return lines
    }
}
