import FacteurTesting
import Foundation
import Testing
@testable import MariaDB

@Suite struct MigrationRunnerTests {
    private func migrations(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, sql) in files {
            try sql.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func theProjectsMigrationsApplyOnceAndStatusIsAccurate() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        let pool = database.pool()
        defer { Task { await pool.shutdown(); try? await database.drop() } }
        let runner = MigrationRunner(
            pool: pool, migrations: try Migration.load(from: TestServices.repositoryRoot.appendingPathComponent("migrations"))
        )
        #expect(!runner.migrations.isEmpty)

        let before = try await runner.status()
        #expect(before.applied.isEmpty)
        #expect(before.pending.map(\.version) == runner.migrations.map(\.version))

        let first = try await runner.migrate()
        #expect(first.map(\.version) == runner.migrations.map(\.version))
        let second = try await runner.migrate()
        #expect(second.isEmpty)

        let after = try await runner.status()
        #expect(after.pending.isEmpty)
        #expect(after.applied.map(\.version) == runner.migrations.map(\.version))
        // PHPList's tables are untouched: still the 41 of the sample plus its value table, and only facteur_* added.
        let foreign = try await pool.query(
            "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'facteur\\_%'"
        )
        #expect(try foreign.first?.decode("n", as: Int.self) == 42)
    }

    @Test func aFailingMigrationLeavesTheDatabaseAsItWasAndSaysWhere() async throws {
        let database = try await TestDatabase.create(loading: .empty)
        let pool = database.pool()
        defer { Task { await pool.shutdown(); try? await database.drop() } }
        let directory = try migrations([
            "0001_good.sql": "CREATE TABLE facteur_one (id INT PRIMARY KEY);",
            "0002_bad.sql": """
                CREATE TABLE facteur_two (id INT PRIMARY KEY);
                -- the next statement has a typo
                CREATE TABLE facteur_three (id INTT PRIMARY KEY);
                """,
        ])
        let runner = MigrationRunner(pool: pool, migrations: try Migration.load(from: directory))
        await #expect {
            try await runner.migrate()
        } throws: { error in
            guard case MigrationError.statementFailed(let file, let line, _, _) = error else { return false }
            return file == "0002_bad.sql" && line == 3
        }
        let tables = try await pool.query(
            "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1"
        ).map { try $0.decode("t", as: String.self) }
        #expect(tables == ["facteur_one", "facteur_schema_migrations"])
        let status = try await runner.status()
        #expect(status.applied.map(\.version) == [1])
        #expect(status.pending.map(\.version) == [2])
    }

    @Test func aMigrationNamingAPHPListTableIsRefusedBeforeAnythingRuns() async throws {
        let database = try await TestDatabase.create(loading: .empty)
        let pool = database.pool()
        defer { Task { await pool.shutdown(); try? await database.drop() } }
        let directory = try migrations([
            "0001_ok.sql": "CREATE TABLE facteur_ok (id INT PRIMARY KEY, t TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP);",
            "0002_evil.sql": "ALTER TABLE phplist_user_user ADD COLUMN x INT;",
        ])
        let runner = MigrationRunner(pool: pool, migrations: try Migration.load(from: directory))
        await #expect {
            try await runner.migrate()
        } throws: { error in
            guard case MigrationError.touchesForeignTable(let file, _, _) = error else { return false }
            return file == "0002_evil.sql"
        }
        let applied = try await pool.query(
            "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        )
        #expect(try applied.first?.decode("n", as: Int.self) == 0)
    }

    @Test func scriptsSplitOutsideQuotesAndComments() {
        let statements = SQLScript.statements(in: """
            -- a comment; with a semicolon
            CREATE TABLE facteur_a (s VARCHAR(10) DEFAULT 'a;b');
            /* block; comment */ INSERT INTO facteur_a VALUES ('it\\'s;');

            # hash comment
            UPDATE facteur_a SET s = "x;y"
            """)
        #expect(statements.map(\.text) == [
            "CREATE TABLE facteur_a (s VARCHAR(10) DEFAULT 'a;b')",
            "INSERT INTO facteur_a VALUES ('it\\'s;')",
            "UPDATE facteur_a SET s = \"x;y\"",
        ])
        #expect(statements.map(\.line) == [2, 3, 6])
    }
}
