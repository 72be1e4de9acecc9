import FacteurTesting
import Foundation
import MariaDB
import Testing

@Suite struct BatchTransactionTests {
    struct Boom: Error {}

    @Test func executeBatchInsertsTenThousandRows() async throws {
        try await withTestDatabase { _, pool in
            try await pool.execute("""
                CREATE TABLE people (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(255) NOT NULL,
                  confirmed TINYINT, score DOUBLE, entered DATETIME, note TEXT NULL, big BIGINT UNSIGNED)
                """)
            let entered = MariaDBDateTime(year: 2026, month: 1, day: 2, hour: 3, minute: 4, second: 5)
            let rows: [[any MariaDBEncodable]] = (0..<10_000).map { (index: Int) -> [any MariaDBEncodable] in
                let note: String? = index % 3 == 0 ? nil : "note \(index) é"
                let email: String = "user\(index)@example.org"
                let score: Double = Double(index) / 4
                let big: UInt64 = UInt64.max - UInt64(index)
                return [email, index % 2 == 0, score, entered, note, big]
            }
            let affected = try await pool.executeBatch(
                "INSERT INTO people (email, confirmed, score, entered, note, big) VALUES (?, ?, ?, ?, ?, ?)", rows: rows)
            #expect(affected == 10_000)
            let summary = try #require(try await pool.query("""
                SELECT COUNT(*) AS n, SUM(confirmed) AS c, SUM(note IS NULL) AS nulls, MAX(big) AS big,
                       COUNT(DISTINCT email) AS emails, MIN(entered) AS entered FROM people
                """).first)
            #expect(try summary.decode("n", as: Int.self) == 10_000)
            #expect(try summary.decode("c", as: Int.self) == 5_000)
            #expect(try summary.decode("nulls", as: Int.self) == 3_334)
            #expect(try summary.decode("big", as: UInt64.self) == UInt64.max)
            #expect(try summary.decode("emails", as: Int.self) == 10_000)
            #expect(try summary.decode("entered", as: MariaDBDateTime.self) == entered)
            let sample = try #require(try await pool.query("SELECT * FROM people WHERE email = ?", ["user4001@example.org"]).first)
            #expect(try sample.decode("note", as: String?.self) == "note 4001 é")
            #expect(try sample.decode("score", as: Double.self) == 1000.25)
        }
    }

    @Test func batchRejectsRowsOfTheWrongWidth() async throws {
        try await withTestDatabase { _, pool in
            try await pool.execute("CREATE TABLE t (a INT, b INT)")
            await #expect(throws: MariaDBError.self) {
                try await pool.executeBatch("INSERT INTO t VALUES (?, ?)", rows: [[1, 2], [3]])
            }
        }
    }

    @Test func transactionRollsBackWhenTheBodyThrows() async throws {
        try await withTestDatabase { _, pool in
            try await pool.execute("CREATE TABLE t (a INT) ENGINE=InnoDB")
            await #expect(throws: Boom.self) {
                try await pool.transaction { connection in
                    try connection.execute("INSERT INTO t VALUES (?)", [1])
                    try connection.execute("INSERT INTO t VALUES (2)")
                    throw Boom()
                }
            }
            #expect(try await pool.query("SELECT COUNT(*) AS n FROM t")[0].decode("n", as: Int.self) == 0)
            let kept = try await pool.transaction { connection in
                try connection.execute("INSERT INTO t VALUES (3)").affectedRows
            }
            #expect(kept == 1)
            #expect(try await pool.query("SELECT a FROM t")[0].decode("a", as: Int.self) == 3)
        }
    }

    @Test func executeScriptRunsAllStatementsAndNamesTheFailingOne() async throws {
        try await withTestDatabase { _, pool in
            try await pool.executeScript("""
                CREATE TABLE s (a INT);
                INSERT INTO s VALUES (1), (2);
                SELECT * FROM s;
                UPDATE s SET a = a * 10;
                """)
            #expect(try await pool.query("SELECT SUM(a) AS t FROM s")[0].decode("t", as: Int.self) == 30)
            do {
                try await pool.executeScript("INSERT INTO s VALUES (3); INSERT INTO nowhere VALUES (1); INSERT INTO s VALUES (4)")
                Issue.record("script with a missing table succeeded")
            } catch let error as MariaDBError {
                guard case .script(_, let statement, _, let code, _, let message) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(statement == 2)
                #expect(code == 1146)
                #expect(message.contains("nowhere"))
            }
            // The connection is usable afterwards, and back in single-statement mode.
            #expect(try await pool.query("SELECT COUNT(*) AS n FROM s")[0].decode("n", as: Int.self) == 3)
            await #expect(throws: MariaDBError.self) {
                try await pool.execute("SELECT 1; SELECT 2")
            }
        }
    }
}
