import FacteurTesting
import Foundation
import MariaDB
import Testing

@Suite struct ValueTests {
    static let createTable = """
        CREATE TABLE v (
          id INT AUTO_INCREMENT PRIMARY KEY,
          i BIGINT NULL, u BIGINT UNSIGNED NULL, t TINYINT NULL, d DOUBLE NULL, dec_ DECIMAL(10,2) NULL,
          s VARCHAR(255) NULL, txt LONGTEXT NULL, b LONGBLOB NULL, vb VARBINARY(16) NULL,
          dt DATETIME(6) NULL, ts TIMESTAMP NULL DEFAULT NULL, day DATE NULL
        ) CHARACTER SET utf8mb4
        """

    @Test func everyTypeRoundTripsThroughPreparedAndTextProtocols() async throws {
        try await withTestDatabase { _, pool in
            try await pool.execute(Self.createTable)
            let when = MariaDBDateTime(year: 2026, month: 11, day: 29, hour: 9, minute: 30, second: 15, microsecond: 123_456)
            let blob: [UInt8] = [0, 1, 2, 0, 255, 0]
            let inserted = try await pool.execute(
                "INSERT INTO v (i, u, t, d, dec_, s, txt, b, vb, dt, ts, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [Int64.min, UInt64.max, true, 3.25, "12.50", "Grüße 🚀 é", "texte", blob, [UInt8]([0, 0]),
                 when, Date(timeIntervalSince1970: 1_700_000_000), MariaDBDateTime(year: 2000, month: 1, day: 2)]
            )
            #expect(inserted.affectedRows == 1)
            #expect(inserted.lastInsertID == 1)
            _ = try await pool.execute("INSERT INTO v (id) VALUES (?)", [2])

            let sql = "SELECT i, u, t, d, dec_, s, txt, b, vb, dt, ts, day FROM v ORDER BY id"
            let text = try await pool.query(sql)
            let prepared = try await pool.query(sql + " LIMIT ?", [10])
            #expect(text.map(\.values) == prepared.map(\.values))
            #expect(text.count == 2)

            let row = try #require(prepared.first)
            #expect(try row.decode("i", as: Int64.self) == Int64.min)
            #expect(try row.decode("u", as: UInt64.self) == UInt64.max)
            #expect(try row.decode("t", as: Bool.self) == true)
            #expect(try row.decode("d", as: Double.self) == 3.25)
            #expect(row["dec_"] == .string("12.50"))
            #expect(try row.decode("dec_", as: Double.self) == 12.5)
            #expect(try row.decode("S", as: String.self) == "Grüße 🚀 é")
            #expect(try row.decode("txt", as: String.self) == "texte")
            #expect(try row.decode("b", as: [UInt8].self) == blob)
            #expect(row["vb"] == .bytes([0, 0]))
            #expect(try row.decode("dt", as: MariaDBDateTime.self) == when)
            #expect(try row.decode("ts", as: Date.self) == Date(timeIntervalSince1970: 1_700_000_000))
            #expect(row["day"] == .datetime(MariaDBDateTime(year: 2000, month: 1, day: 2)))

            let empty = try #require(prepared.last)
            for column in ["i", "u", "t", "d", "dec_", "s", "txt", "b", "vb", "dt", "ts", "day"] {
                #expect(empty[column] == .null, "\(column)")
            }
            #expect(try empty.decode("i", as: Int?.self) == nil)
            #expect(try empty.decode("dt", as: Date?.self) == nil)
        }
    }

    @Test func decodeErrorsNameTheColumnAndValue() async throws {
        try await withTestDatabase { _, pool in
            let row = try #require(try await pool.query("SELECT 'abc' AS word, NULL AS nothing, -1 AS negative").first)
            #expect(throws: MariaDBError.decode(column: "word", value: "'abc'", expected: "Int")) {
                try row.decode("word", as: Int.self)
            }
            #expect(throws: MariaDBError.decode(column: "nothing", value: "NULL", expected: "String")) {
                try row.decode("nothing", as: String.self)
            }
            #expect(throws: MariaDBError.decode(column: "negative", value: "-1", expected: "UInt64")) {
                try row.decode("negative", as: UInt64.self)
            }
            do {
                _ = try row.decode("missing", as: Int.self)
                Issue.record("decoded a missing column")
            } catch {
                #expect("\(error)".contains("'missing'"))
                #expect("\(error)".contains("no such column"))
            }
            #expect(row["missing"] == .null)
        }
    }

    @Test func largeTextAndBlobsWithNULBytesSurvive() async throws {
        try await withTestDatabase { _, pool in
            try await pool.execute("CREATE TABLE big (id INT PRIMARY KEY, txt LONGTEXT, b LONGBLOB)")
            let text = String(repeating: "é🚀abc\n", count: 1_048_576 / 10)
            let blob = (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 * 7) }
            try await pool.execute("INSERT INTO big VALUES (1, ?, ?), (2, 'short', x'00')", [text, blob])
            for rows in [try await pool.query("SELECT txt, b FROM big ORDER BY id"),
                         try await pool.query("SELECT txt, b FROM big WHERE id > ? ORDER BY id", [0])] {
                #expect(rows.count == 2)
                #expect(try rows[0].decode("txt", as: String.self) == text)
                #expect(try rows[0].decode("b", as: [UInt8].self) == blob)
                // The row after a huge one still decodes (grown buffers are rebound correctly).
                #expect(try rows[1].decode("txt", as: String.self) == "short")
                #expect(try rows[1].decode("b", as: [UInt8].self) == [0])
            }
        }
    }

    @Test func lessCommonTypesDecodeTheSameInBothProtocols() async throws {
        try await withTestDatabase { _, pool in
            try await pool.execute("CREATE TABLE odd (t TIME, bits BIT(3), y YEAR, f FLOAT, e ENUM('a','b'))")
            try await pool.execute("INSERT INTO odd VALUES ('10:11:12', b'101', 2024, 1.5, 'b')")
            let sql = "SELECT t, bits, y, f, e FROM odd"
            let text = try #require(try await pool.query(sql).first)
            let prepared = try #require(try await pool.query(sql + " WHERE ? = 1", [1]).first)
            #expect(text.values == prepared.values)
            #expect(try text.decode("t", as: String.self) == "10:11:12")
            #expect(text["bits"] == .bytes([5]))
            #expect(try text.decode("y", as: Int.self) == 2024)
            #expect(try text.decode("f", as: Double.self) == 1.5)
            #expect(try text.decode("e", as: String.self) == "b")
        }
    }

    @Test func unicodeIsStoredAsUTF8MB4() async throws {
        try await withTestDatabase { _, pool in
            try await pool.execute("CREATE TABLE u (s VARCHAR(50)) CHARACTER SET utf8mb4")
            let samples = ["😀👍🏽", "Ærøskøbing", "naïve café", "日本語", "Zażółć gęślą jaźń"]
            for sample in samples {
                try await pool.execute("INSERT INTO u VALUES (?)", [sample])
            }
            try await pool.execute("INSERT INTO u VALUES ('Ελληνικά')")
            let stored = try await pool.query("SELECT s, HEX(s) AS h FROM u")
            #expect(try stored.map { try $0.decode("s", as: String.self) } == samples + ["Ελληνικά"])
            let hex = try stored[0].decode("h", as: String.self)
            #expect(hex == "F09F9880F09F918DF09F8FBD")
        }
    }
}
