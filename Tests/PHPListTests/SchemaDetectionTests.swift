import FacteurTesting
import MariaDB
import Testing
@testable import PHPList

/// Against a real MariaDB loaded with databases PHPList 3.6.15 itself produced (compat/).
@Suite struct SchemaDetectionTests {
    @Test func recognisesTheSampleDatabase() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        let pool = database.pool()
        defer { Task { await pool.shutdown(); try? await database.drop() } }
        let phplist = PHPListDatabase(pool: pool)

        let report = try await phplist.inspectSchema()
        #expect(report.version == "3.6.15")
        #expect(try await phplist.lists().map(\.name) == ["test", "newsletter", "Customers", "Partners"])
        #expect(try await phplist.subscriberCount() == 2001)
        #expect(try await phplist.queuedCampaignIDs() == [2])
    }

    @Test func otherPrefixesWorkOnceConfigured() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued, prefix: "pl_")
        let pool = database.pool()
        defer { Task { await pool.shutdown(); try? await database.drop() } }

        let configured = PHPListDatabase(pool: pool, tables: TableNames(prefix: "pl_", userPrefix: "pl_user_"))
        #expect(try await configured.inspectSchema().version == "3.6.15")
        #expect(try await configured.subscriberCount() == 2001)
        #expect(try await configured.queuedCampaignIDs() == [2])

        let defaults = PHPListDatabase(pool: pool)
        await #expect {
            try await defaults.inspectSchema()
        } throws: { error in
            guard case PHPListError.notPHPList = error else { return false }
            return "\(error)".contains("table_prefix")
        }
    }

    @Test func refusesADatabaseWithoutPHPListTables() async throws {
        let database = try await TestDatabase.create(loading: .empty)
        let pool = database.pool()
        defer { Task { await pool.shutdown(); try? await database.drop() } }
        await #expect {
            try await PHPListDatabase(pool: pool).inspectSchema()
        } throws: { error in
            if case PHPListError.notPHPList = error { return true }
            return false
        }
    }

    @Test func refusesAPHPList2DatabaseAndPointsToImport() async throws {
        let database = try await TestDatabase.create(loading: .file(TestServices.compatFile("old-2.11/sample.sql.gz")))
        let pool = database.pool()
        defer { Task { await pool.shutdown(); try? await database.drop() } }
        await #expect {
            try await PHPListDatabase(pool: pool).inspectSchema()
        } throws: { error in
            guard case PHPListError.version2(_, let version, _) = error else { return false }
            return version == "2.11.6" && "\(error)".contains("facteur import")
        }
    }

    @Test func namesWhatIsMissingFromAnIncompleteSchema() async throws {
        let database = try await TestDatabase.create(loading: .schema)
        let pool = database.pool()
        defer { Task { await pool.shutdown(); try? await database.drop() } }
        _ = try await pool.execute("ALTER TABLE phplist_usermessage DROP COLUMN viewed")
        _ = try await pool.execute("DROP TABLE phplist_bounceregex_bounce")
        await #expect {
            try await PHPListDatabase(pool: pool).inspectSchema()
        } throws: { error in
            guard case PHPListError.incompleteSchema(_, let missing) = error else { return false }
            return missing == ["table phplist_bounceregex_bounce", "column phplist_usermessage.viewed"]
                || Set(missing) == ["table phplist_bounceregex_bounce", "column phplist_usermessage.viewed"]
        }
    }
}
