import FacteurTesting
import Foundation
import MariaDB
import Testing

/// `facteur check` run as an operator runs it, against real MariaDB and SMTP servers.
@Suite struct CheckCommandTests {
    private func writeConfig(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func config(databaseURL: String, relay: String? = nil, extra: String = "") -> String {
        var yaml = "database:\n  url: \(databaseURL)\n\(extra)"
        if let relay { yaml += "relays:\n  - name: relay-a\n    url: \(relay)\n" }
        return yaml
    }

    @Test func reportsTheSampleDatabaseAndRelay() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        defer { Task { try? await database.drop() } }
        let path = try writeConfig(config(databaseURL: database.url, relay: try TestServices.requireSMTPSink()))

        let result = try await FacteurCommand.built().run(["--config", path, "check"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lines.contains("PHPList schema: 3.6.15 (prefixes phplist_/phplist_user_)"))
        #expect(result.lines.contains("lists: 4"))
        #expect(result.lines.contains("subscribers: 2001"))
        #expect(result.lines.contains("queued campaigns: 1"))
        #expect(result.lines.contains { $0.hasPrefix("relay relay-a") })
        #expect(result.errorLines.isEmpty)
    }

    @Test func configuredPrefixesFindRenamedTables() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued, prefix: "pl_")
        defer { Task { try? await database.drop() } }
        let path = try writeConfig(config(
            databaseURL: database.url, extra: "  table_prefix: pl_\n  user_table_prefix: pl_user_\n"
        ))
        let result = try await FacteurCommand.built().run(["--config", path, "check"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lines.contains("PHPList schema: 3.6.15 (prefixes pl_/pl_user_)"))
        #expect(result.lines.contains("subscribers: 2001"))
    }

    @Test func eachBrokenPieceGivesANonZeroExitAndOneLine() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        let empty = try await TestDatabase.create(loading: .empty)
        defer { Task { try? await database.drop(); try? await empty.drop() } }
        let server = try MariaDBConfiguration(url: database.url)
        let deadPort = try SinkPorts.free()

        let cases: [(String, String, String)] = [
            ("wrong password", config(databaseURL: "mysql://root:wrong-password@\(server.host):\(server.port)/\(database.name)"), "denied"),
            ("unknown host", config(databaseURL: "mysql://root@nonexistent.invalid:3306/phplist"), "nonexistent.invalid"),
            ("no PHPList tables", config(databaseURL: empty.url), "no PHPList tables"),
            ("dead relay", config(databaseURL: database.url, relay: "smtp://127.0.0.1:\(deadPort)"), "relay-a"),
        ]
        for (label, yaml, expected) in cases {
            let result = try await FacteurCommand.built().run(["--config", try writeConfig(yaml), "check"])
            #expect(result.status != 0, "\(label): exit 0")
            let problems = result.errorLines.filter { !$0.hasPrefix("facteur: warning:") }
            #expect(problems.count == 1, "\(label): \(result.standardError)")
            #expect(result.standardError.contains(expected), "\(label): \(result.standardError)")
        }
    }

    @Test func worksFromPHPListsConfigPHPAlone() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        defer { Task { try? await database.drop() } }
        let server = try MariaDBConfiguration(url: database.url)
        let sink = try #require(URLComponents(string: try TestServices.requireSMTPSink()))
        let php = """
            <?php
            // a PHPList config.php as an admin has it
            $database_host = '\(server.host)';
            $database_port = \(server.port);
            $database_name = '\(database.name)';
            $database_user = '\(server.user)';
            $database_password = '\(server.password ?? "")';
            $table_prefix = 'phplist_';
            $usertable_prefix = 'phplist_user_';
            define('PHPMAILERHOST', '\(sink.host ?? "")');
            define('PHPMAILERPORT', \(sink.port ?? 25));
            $message_envelope = 'bounces@example.org';
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString).php").path
        try php.write(toFile: path, atomically: true, encoding: .utf8)

        let result = try await FacteurCommand.built().run(["--phplist-config", path, "check"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lines.contains("PHPList schema: 3.6.15 (prefixes phplist_/phplist_user_)"))
        #expect(result.lines.contains("queued campaigns: 1"))
        #expect(result.lines.contains { $0.hasPrefix("relay ") })
    }
}
