import FacteurTesting
import Foundation
import Testing

@Suite struct MigrateCommandTests {
    @Test func secondRunAppliesNothingAndStatusIsAccurate() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        defer { Task { try? await database.drop() } }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-\(UUID().uuidString).yaml").path
        try "database:\n  url: \(database.url)\n".write(toFile: path, atomically: true, encoding: .utf8)
        let migrations = TestServices.repositoryRoot.appendingPathComponent("migrations").path
        let files = try FileManager.default.contentsOfDirectory(atPath: migrations).filter { $0.hasSuffix(".sql") }.sorted()
        let facteur = try FacteurCommand.built()

        let pending = try await facteur.run(["--config", path, "migrate", "--status", "--migrations", migrations])
        #expect(pending.status == 0, "\(pending.standardError)")
        #expect(pending.lines.filter { $0.hasPrefix("pending") }.count == files.count)

        let first = try await facteur.run(["--config", path, "migrate", "--migrations", migrations])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.lines.filter { $0.hasPrefix("applied ") }.map { String($0.dropFirst(8)) } == files)

        let second = try await facteur.run(["--config", path, "migrate", "--migrations", migrations])
        #expect(second.status == 0)
        #expect(second.lines == ["up to date: nothing to apply"])

        let status = try await facteur.run(["--config", path, "migrate", "--status", "--migrations", migrations])
        #expect(status.lines.filter { $0.hasPrefix("applied") }.count == files.count)
        #expect(status.lines.last == "up to date")
    }
}
