import FacteurTesting
import Foundation
@_spi(Testing) import MariaDB
import Testing

@Suite struct StreamTests {
    static func fill(_ pool: MariaDBPool, rows: Int) async throws {
        try await pool.execute("CREATE TABLE s (id INT PRIMARY KEY, email VARCHAR(255), n BIGINT)")
        var next = 0
        while next < rows {
            let end = min(next + 20_000, rows)
            let batch: [[any MariaDBEncodable]] = (next..<end).map { [$0, "user\($0)@example.org", $0 * 3] }
            try await pool.executeBatch("INSERT INTO s VALUES (?, ?, ?)", rows: batch)
            next = end
        }
    }

    @Test func streamsTwoHundredThousandRowsWithABoundedBuffer() async throws {
        try await withTestDatabase(maxConnections: 2) { _, pool in
            try await Self.fill(pool, rows: 200_000)
            var count = 0
            var sum = 0
            var ordered = true
            let (stream, channel) = pool.makeStream("SELECT id, email, n FROM s ORDER BY id", [], bufferRows: 500)
            for try await row in stream {
                let id = try row.decode("id", as: Int.self)
                ordered = ordered && id == count
                sum += try row.decode("n", as: Int.self)
                count += 1
                if count == 1 { try await Task.sleep(for: .milliseconds(200)) } // let the producer fill up
            }
            #expect(count == 200_000)
            #expect(ordered)
            // The producer stops at `bufferRows` (plus the chunk it was completing): never the whole result.
            #expect(channel.peakBuffered >= 100 && channel.peakBuffered <= 500 + channel.chunkSize,
                    "peak buffered rows: \(channel.peakBuffered)")
            #expect(sum == 3 * (199_999 * 200_000 / 2))
            // The connection went back to the pool.
            #expect(await pool.connectionsInUse == 0)
        }
    }

    @Test func streamWithParametersUsesPreparedStatement() async throws {
        try await withTestDatabase(maxConnections: 2) { _, pool in
            try await Self.fill(pool, rows: 5_000)
            var emails: [String] = []
            for try await row in pool.stream("SELECT email FROM s WHERE id >= ? ORDER BY id", [4_990], bufferRows: 3) {
                emails.append(try row.decode("email", as: String.self))
            }
            #expect(emails == (4_990..<5_000).map { "user\($0)@example.org" })
        }
    }

    @Test func stoppingEarlyReleasesTheConnection() async throws {
        try await withTestDatabase(maxConnections: 1) { _, pool in
            try await Self.fill(pool, rows: 100_000)
            var seen = 0
            for try await _ in pool.stream("SELECT * FROM s", bufferRows: 100) {
                seen += 1
                if seen == 10 { break }
            }
            #expect(seen == 10)
            // With a single connection, this only works if the abandoned stream gave it back.
            let count = try await pool.query("SELECT COUNT(*) AS n FROM s")[0].decode("n", as: Int.self)
            #expect(count == 100_000)
        }
    }

    @Test func cancellingTheConsumerStopsTheQuery() async throws {
        try await withTestDatabase(maxConnections: 1) { _, pool in
            try await Self.fill(pool, rows: 50_000)
            let consumer = Task {
                var seen = 0
                for try await _ in pool.stream("SELECT * FROM s", bufferRows: 100) {
                    seen += 1
                    if seen == 100 { try await Task.sleep(for: .seconds(30)) }
                }
                return seen
            }
            try await Task.sleep(for: .milliseconds(300))
            consumer.cancel()
            _ = await consumer.result
            let count = try await pool.query("SELECT COUNT(*) AS n FROM s")[0].decode("n", as: Int.self)
            #expect(count == 50_000)
        }
    }

    @Test func streamReportsQueryErrors() async throws {
        try await withTestDatabase { _, pool in
            do {
                for try await _ in pool.stream("SELECT * FROM missing_table") {}
                Issue.record("stream over a missing table succeeded")
            } catch let error as MariaDBError {
                #expect(error.serverCode == 1146)
            }
        }
    }
}
