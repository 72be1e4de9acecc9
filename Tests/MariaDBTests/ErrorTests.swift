import FacteurTesting
import Foundation
import MariaDB
import Testing

@Suite struct ErrorTests {
    @Test func missingTableNamesTheSQLAndServerMessage() async throws {
        try await withTestDatabase { database, pool in
            for params in [[], [1] as [any MariaDBEncodable]] {
                do {
                    _ = try await pool.query(params.isEmpty ? "SELECT * FROM no_such_table" : "SELECT * FROM no_such_table WHERE id = ?", params)
                    Issue.record("query on a missing table succeeded")
                } catch let error as MariaDBError {
                    #expect(error.serverCode == 1146)
                    #expect(error.sqlState == "42S02")
                    #expect(!error.isConnectionLoss)
                    #expect(error.description.contains("SELECT * FROM no_such_table"))
                    #expect(error.description.contains("\(database.name).no_such_table"))
                    #expect(error.description.contains(database.configuration.redacted))
                }
            }
        }
    }

    @Test func duplicateKeyIs1062() async throws {
        try await withTestDatabase { _, pool in
            try await pool.execute("CREATE TABLE d (email VARCHAR(50) PRIMARY KEY)")
            try await pool.execute("INSERT INTO d VALUES (?)", ["a@example.org"])
            do {
                try await pool.execute("INSERT INTO d VALUES (?)", ["a@example.org"])
                Issue.record("duplicate accepted")
            } catch let error as MariaDBError {
                #expect(error.serverCode == 1062)
                #expect(error.description.contains("Duplicate entry 'a@example.org'"))
            }
        }
    }

    @Test func wrongPasswordIs1045AndNeverShowsThePassword() async throws {
        try await withTestDatabase { database, pool in
            let user = "ft_" + String(database.name.suffix(8))
            try await pool.execute("CREATE USER '\(user)'@'%' IDENTIFIED BY 'right-password'")
            var configuration = database.configuration
            configuration.user = user
            configuration.password = "wrong-password"
            let badPool = MariaDBPool(configuration: configuration, maxConnections: 1)
            do {
                _ = try await badPool.query("SELECT 1")
                Issue.record("connected with a wrong password")
            } catch let error as MariaDBError {
                #expect(error.serverCode == 1045)
                #expect(error.description.contains("Access denied"))
                #expect(error.description.contains("mysql://\(user)@"))
                #expect(!error.description.contains("wrong-password"))
            }
            await badPool.shutdown()
            try await pool.execute("DROP USER '\(user)'@'%'")
        }
    }

    @Test func unknownDatabaseIs1049() async throws {
        var configuration = try TestServices.requireMySQL()
        configuration.database = "facteur_no_such_database"
        let pool = MariaDBPool(configuration: configuration, maxConnections: 1)
        await #expect(throws: MariaDBError.self) {
            do {
                _ = try await pool.query("SELECT 1")
            } catch let error as MariaDBError {
                #expect(error.serverCode == 1049)
                throw error
            }
        }
        await pool.shutdown()
    }

    @Test func unknownHostFailsToConnectWithAClearMessage() async throws {
        // .invalid is reserved (RFC 2606): never resolvable, so nothing leaves the machine.
        let configuration = MariaDBConfiguration(host: "db.facteur.invalid", port: 3306, user: "u", connectTimeout: 2)
        let pool = MariaDBPool(configuration: configuration, maxConnections: 1)
        do {
            _ = try await pool.query("SELECT 1")
            Issue.record("connected to an unknown host")
        } catch let error as MariaDBError {
            guard case .connect(let target, let code, let message) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(target.contains("db.facteur.invalid"))
            #expect(code == 2005 || code == 2002 || code == 2003)
            #expect(message.contains("db.facteur.invalid"))
        }
        await pool.shutdown()
    }

    @Test func poolRejectsCallsAfterShutdown() async throws {
        let pool = MariaDBPool(configuration: try TestServices.requireMySQL(), maxConnections: 1)
        _ = try await pool.query("SELECT 1")
        await pool.shutdown()
        await #expect(throws: MariaDBError.poolClosed) {
            _ = try await pool.query("SELECT 1")
        }
    }
}

@Suite struct TLSModeTests {
    @Test func preferredFallsBackToPlainAndRequiredRefusesAServerWithoutTLS() async throws {
        var configuration = try TestServices.requireMySQL()
        let pool = MariaDBPool(configuration: configuration, maxConnections: 1)
        let haveTLS = try await pool.query("SHOW VARIABLES LIKE 'have_ssl'").first.map { try $0.decode(1, as: String.self) }
        await pool.shutdown()
        try #require(haveTLS != "YES", "the test server offers TLS; this test is about one that does not")

        configuration.tls = .preferred
        let preferred = MariaDBPool(configuration: configuration, maxConnections: 1)
        #expect(try await preferred.query("SELECT 1 AS one")[0].decode("one", as: Int.self) == 1)
        await preferred.shutdown()

        configuration.tls = .required
        let required = MariaDBPool(configuration: configuration, maxConnections: 1)
        do {
            _ = try await required.query("SELECT 1")
            Issue.record("tls=required connected to a server without TLS")
        } catch let error as MariaDBError {
            guard case .connect = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(error.serverCode == 2026, "\(error)")
        }
        await required.shutdown()
    }
}
