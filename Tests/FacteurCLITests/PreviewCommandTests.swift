import FacteurTesting
import Foundation
import MariaDB
import Testing

/// `facteur preview` prints the subscriber's message and changes no send state.
@Suite struct PreviewCommandTests {
    @Test func printsTheSubscribersMessageAndCountsNothing() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        let pool = database.pool()
        defer { Task { await pool.shutdown(); try? await database.drop() } }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // PHPList's config.php gives the attachment folder and envelope, as on a PHPList server.
        try """
            <?php
            $message_envelope = 'bounces@example.org';
            $attachment_repository = '\(TestServices.compatFile("phplist-3.6.15/attachments").path)';
            define('USE_MANUAL_TEXT_PART', 1);
            define('PHPMAILERHOST', '127.0.0.1');
            """.write(to: directory.appendingPathComponent("config.php"), atomically: true, encoding: .utf8)
        let path = directory.appendingPathComponent("facteur.yaml").path
        try "phplist:\n  config_php: config.php\ndatabase:\n  url: \(database.url)\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let facteur = try FacteurCommand.built()

        let byEmail = try await facteur.run(["--config", path, "preview", "--campaign", "2", "--subscriber", "user1201@example.net"])
        #expect(byEmail.status == 0, "\(byEmail.standardError)")
        let headers = byEmail.standardOutput.components(separatedBy: "\r\n\r\n").first ?? ""
        #expect(headers.contains("\r\nTo: user1201@example.net\r\n"))
        #expect(headers.contains("\r\nX-MessageID: 2\r\n"))
        #expect(headers.contains("\r\nX-ListMember: user1201@example.net\r\n"))
        #expect(headers.contains("uid=ae87d72298eb850eb8b3d5d0b059f2df&jo=1>"))
        #expect(byEmail.standardOutput.contains("Hello Jonas,"))
        #expect(byEmail.standardOutput.contains("spring-offer.pdf"))

        let byID = try await facteur.run(["--config", path, "preview", "--campaign", "2", "--subscriber", "1202"])
        #expect(byID.status == 0)
        #expect(byID.standardOutput.contains("\r\nX-ListMember: user1201@example.net\r\n"))

        let counts = try await pool.query("""
            SELECT (SELECT COUNT(*) FROM phplist_usermessage) AS um, (SELECT COUNT(*) FROM phplist_linktrack_ml) AS ml,
                   (SELECT processed FROM phplist_message WHERE id = 2) AS processed,
                   (SELECT status FROM phplist_message WHERE id = 2) AS status
            """)[0]
        #expect(try counts.decode("um", as: Int.self) == 0)
        #expect(try counts.decode("ml", as: Int.self) == 0)
        #expect(try counts.decode("processed", as: Int.self) == 0)
        #expect(try counts.decode("status", as: String.self) == "submitted")

        let unknown = try await facteur.run(["--config", path, "preview", "--campaign", "2", "--subscriber", "nobody@example.net"])
        #expect(unknown.status != 0)
        #expect(unknown.standardError.contains("no subscriber nobody@example.net"))
    }
}
