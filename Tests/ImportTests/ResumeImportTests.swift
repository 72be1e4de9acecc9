import FacteurTesting
import Foundation
import Import
import MariaDB
import Testing

/// `facteur import phplist` killed mid-way (the test hook exits the process right after a batch
/// commits, as a kill between batches would leave it) and run again ends where an uninterrupted run does.
@Suite struct ResumeImportTests {
    static func configFile(for database: TestDatabase) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-import-\(UUID().uuidString).yaml").path
        try "database:\n  url: \(database.url)\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func killedRunsResumeToTheSameStateAsAnUninterruptedOne() async throws {
        let source = try await TestDatabase.create(loading: .oldSample)
        let resumed = try await ImportFixtures.target(.sampleSent)
        let straight = try await ImportFixtures.target(.sampleSent)
        defer { Task { try? await source.drop(); try? await resumed.drop(); try? await straight.drop() } }
        let config = try Self.configFile(for: resumed)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let facteur = try FacteurCommand.built()
        let arguments = ["--config", config, "import", "phplist", "--from", source.url, "--batch-size", "40"]
        let probe = Probe(database: resumed)
        let usersBefore = try await probe.int("SELECT COUNT(*) FROM phplist_user_user")
        let campaignsBefore = try await probe.int("SELECT COUNT(*) FROM phplist_message")

        // Killed during the 3rd batch of subscribers: the first 2 batches (80 source rows, one of them
        // merged with the target's user0001) are in, the 3rd left nothing.
        let first = try await facteur.run(arguments, environment: ["FACTEUR_IMPORT_TEST_EXIT_AFTER": "subscribers:3:uncommitted"])
        #expect(first.status == 75, "\(first.standardError)")
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_user_user") == usersBefore + 79)
        #expect(try await probe.int("SELECT COUNT(*) FROM facteur_import_map WHERE kind = 'user'") == 80)
        #expect(try await probe.int("SELECT COUNT(*) FROM phplist_message") == campaignsBefore)

        // Killed again, this time in the send history, then finished.
        let second = try await facteur.run(arguments, environment: ["FACTEUR_IMPORT_TEST_EXIT_AFTER": "send history:2"])
        #expect(second.status == 75, "\(second.standardError)")
        let third = try await facteur.run(arguments)
        #expect(third.status == 0, "\(third.standardError)")
        // The third run only finished what was left: the subscribers were all in already.
        #expect(!third.standardOutput.contains("subscribers: "))
        #expect(third.standardOutput.contains("send history: "))

        let report = try await ImportFixtures.run(into: straight, from: source, batchSize: 40)
        #expect(report["subscribers"].added == 299)
        #expect(try await probe.fingerprint() == (try await Probe(database: straight).fingerprint()))
        #expect(try await probe.int("SELECT COUNT(*) - COUNT(DISTINCT LOWER(email)) FROM phplist_user_user") == 0)

        // And once more: nothing changes.
        let counts = try await probe.counts()
        let fourth = try await facteur.run(arguments)
        #expect(fourth.status == 0)
        #expect(try await probe.counts() == counts)
    }

    @Test func dryRunFromTheCommandLinePrintsTheReport() async throws {
        let source = try await TestDatabase.create(loading: .oldSample)
        let target = try await ImportFixtures.target(.sampleSent)
        defer { Task { try? await source.drop(); try? await target.drop() } }
        let config = try Self.configFile(for: target)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let result = try await FacteurCommand.built().run(["--config", config, "import", "phplist", "--from", source.url, "--dry-run"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lines.first?.hasPrefix("DRY RUN") == true)
        #expect(result.standardOutput.contains("subscribers: 299 added, 1 merged"))
        #expect(result.standardError.isEmpty || !result.standardError.contains("\u{1B}[2K"), "no progress bar without a terminal")
        #expect(try await Probe(database: target).int("SELECT COUNT(*) FROM phplist_user_user") == 2001)
    }
}
