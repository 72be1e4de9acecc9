import Compose
import FacteurTesting
import Foundation
import Logging
import MariaDB
import PHPList
@testable import Bounces

/// A PHPList database after campaign 2 was sent (`sample-sent.sql.gz`), Facteur's bounce table migrated,
/// optionally the bounce rule PHPList's reference run had ("user unknown" → blacklistuser).
struct ProcessingFixture {
    let database: TestDatabase
    let pool: MariaDBPool
    let phplist: PHPListDatabase

    static func make(withRule: Bool = true) async throws -> ProcessingFixture {
        let database = try await TestDatabase.create(loading: .sampleSent)
        let pool = database.pool()
        // facteur_bounce_seen: 0005's table with 0008's reason and hard columns.
        for file in ["0005_bounce_processing.sql", "0008_bounce_reasons.sql"] {
            let migration = try String(contentsOf: TestServices.repositoryRoot.appendingPathComponent("migrations/\(file)"), encoding: .utf8)
            try await pool.executeScript(migration)
        }
        if withRule {
            try await pool.execute(
                """
                INSERT INTO phplist_bounceregex (regex, regexhash, action, listorder, admin, comment, status, count)
                VALUES ('user unknown', MD5('user unknown'), 'blacklistuser', 0, 1, 'hard bounce: unknown mailbox', 'active', 0)
                """)
        }
        return ProcessingFixture(database: database, pool: pool, phplist: PHPListDatabase(pool: pool))
    }

    func processor(_ settings: BounceProcessingSettings) -> BounceProcessor {
        var logger = Logger(label: "test.bounces")
        logger.logLevel = .warning
        return BounceProcessor(database: phplist, settings: settings, logger: logger)
    }

    func tearDown() async {
        await pool.shutdown()
        try? await database.drop()
    }

    static func sampleMessages() throws -> [[UInt8]] {
        let data = try Data(contentsOf: TestServices.compatFile("phplist-3.6.15/bounces-sample.mbox"))
        return MboxReader.messages(in: [UInt8](data))
    }

    func rows(_ sql: String, _ params: [any MariaDBEncodable] = []) async throws -> [[MariaDBValue]] {
        try await pool.query(sql, params).map(\.values)
    }

    func int(_ sql: String, _ params: [any MariaDBEncodable] = []) async throws -> Int {
        try await pool.query(sql, params).first?.decode(0, as: Int?.self) ?? 0
    }

    /// A delivery status notification for one subscriber and campaign, as Postfix writes it.
    static func dsn(email: String, campaign: Int, status: String = "5.2.2", text: String = "Mailbox full",
                    to: String = "bounces@example.org", date: String = "Mon, 30 Nov 2026 10:00:00 +0000", tag: String = "") -> [UInt8] {
        let code = status.hasPrefix("5") ? "552" : "452"
        return Array("""
        Return-Path: <>
        Date: \(date)
        From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
        To: \(to)
        Subject: Undelivered Mail Returned to Sender \(tag)
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="B"

        --B
        Content-Type: text/plain; charset=us-ascii

        <\(email)>: host mx.example.net said: \(code) \(status) \(text)

        --B
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.net

        Final-Recipient: rfc822; \(email)
        Action: failed
        Status: \(status)
        Diagnostic-Code: smtp; \(code) \(status) \(text)

        --B
        Content-Type: text/rfc822-headers

        To: \(email)
        From: Example News <news@example.org>
        Message-ID: <abc\(campaign)@example.org>
        X-MessageID: \(campaign)
        X-ListMember: \(email)

        --B--

        """.utf8)
    }
}
