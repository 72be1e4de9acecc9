import Foundation

/// Measures what the worker relies on: bulk inserts through `executeBatch` and streaming a large
/// subscriber table through `MariaDBPool.stream` with flat memory. Run by `facteur bench db`.
public enum MariaDBStreamBenchmark {
    public struct Report: Sendable, CustomStringConvertible {
        public let rows: Int
        public let streamedRows: Int
        public let insertSeconds: Double
        public let streamSeconds: Double
        /// Peak resident memory (VmHWM, kB) before streaming (after the inserts) and after it.
        public let peakRSSBeforeStreamKB: Int
        public let peakRSSAfterStreamKB: Int
        /// Current resident memory (VmRSS, kB) before and after streaming.
        public let rssBeforeStreamKB: Int
        public let rssAfterStreamKB: Int
        public let serverVersion: String

        public var insertRowsPerSecond: Double { Double(rows) / max(insertSeconds, 1e-9) }
        public var streamRowsPerSecond: Double { Double(streamedRows) / max(streamSeconds, 1e-9) }

        public var description: String {
            func rate(_ value: Double) -> String { String(format: "%.0f", value) }
            func mb(_ kb: Int) -> String { String(format: "%.1f MB", Double(kb) / 1024) }
            return """
                MariaDB \(serverVersion), \(rows) rows shaped like phplist_user_user
                insert (executeBatch):  \(String(format: "%.2f", insertSeconds)) s, \(rate(insertRowsPerSecond)) rows/s
                stream (pool.stream):   \(String(format: "%.2f", streamSeconds)) s, \(rate(streamRowsPerSecond)) rows/s, \(streamedRows) rows
                peak RSS (VmHWM):       \(mb(peakRSSBeforeStreamKB)) before streaming, \(mb(peakRSSAfterStreamKB)) after
                RSS (VmRSS):            \(mb(rssBeforeStreamKB)) before streaming, \(mb(rssAfterStreamKB)) after
                """
        }
    }

    /// Creates a scratch database `facteur_bench_<random>` on the server of `configuration`,
    /// fills it, streams it, and drops it.
    public static func run(configuration: MariaDBConfiguration, rows: Int) async throws -> Report {
        var server = configuration
        server.database = nil
        let name = "facteur_bench_" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let admin = MariaDBPool(configuration: server, maxConnections: 1)
        try await admin.execute("CREATE DATABASE `\(name)` CHARACTER SET utf8mb4")
        var scratch = server
        scratch.database = name
        let pool = MariaDBPool(configuration: scratch, maxConnections: 2)
        do {
            let report = try await measure(pool: pool, rows: rows)
            await pool.shutdown()
            try await admin.execute("DROP DATABASE `\(name)`")
            await admin.shutdown()
            return report
        } catch {
            await pool.shutdown()
            _ = try? await admin.execute("DROP DATABASE `\(name)`")
            await admin.shutdown()
            throw error
        }
    }

    private static func measure(pool: MariaDBPool, rows: Int) async throws -> Report {
        try await pool.execute("""
            CREATE TABLE user_user (
              id INT NOT NULL AUTO_INCREMENT, email VARCHAR(255) NOT NULL, confirmed TINYINT DEFAULT 0,
              blacklisted TINYINT DEFAULT 0, optedin TINYINT DEFAULT 0, bouncecount INT DEFAULT 0,
              entered DATETIME DEFAULT NULL, modified TIMESTAMP NOT NULL DEFAULT current_timestamp(),
              uniqid VARCHAR(255) DEFAULT NULL, uuid VARCHAR(36) DEFAULT '', htmlemail TINYINT DEFAULT 0,
              disabled TINYINT DEFAULT 0, extradata TEXT DEFAULT NULL,
              PRIMARY KEY (id), UNIQUE KEY email (email), KEY confidx (confirmed), KEY blidx (blacklisted)
            ) ENGINE=InnoDB
            """)
        let serverVersion = try await pool.withConnection { $0.serverVersion }
        let entered = MariaDBDateTime(date: Date())
        let clock = ContinuousClock()
        // Rows are generated per slice so the generator itself stays small in memory.
        let slice = 10_000
        let insertTime = try await clock.measure {
            var next = 0
            while next < rows {
                let end = min(next + slice, rows)
                let batch = (next..<end).map { index -> [any MariaDBEncodable] in
                    let uniqid = String(UInt64(index) &* 0x9E37_79B9_7F4A_7C15, radix: 16)
                    let extradata: String? = index % 10 == 0 ? "imported from list \(index % 7)" : nil
                    return ["subscriber\(index)@example.org", index % 5 != 0, index % 97 == 0, true, index % 3,
                            entered, uniqid, UUID().uuidString.lowercased(), index % 2 == 0, false, extradata]
                }
                try await pool.executeBatch("""
                    INSERT INTO user_user (email, confirmed, blacklisted, optedin, bouncecount, entered, uniqid, uuid,
                      htmlemail, disabled, extradata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, rows: batch)
                next = end
            }
        }
        let before = MemoryStatus.read()
        var streamed = 0
        var checksum = 0
        let streamTime = try await clock.measure {
            for try await row in pool.stream("SELECT * FROM user_user") {
                streamed += 1
                if case .int(let id) = row.values[0] { checksum &+= Int(id) }
            }
        }
        let after = MemoryStatus.read()
        precondition(checksum != 0 || rows == 0, "the stream returned no ids")
        return Report(rows: rows, streamedRows: streamed, insertSeconds: insertTime.seconds, streamSeconds: streamTime.seconds,
                      peakRSSBeforeStreamKB: before.peakKB, peakRSSAfterStreamKB: after.peakKB,
                      rssBeforeStreamKB: before.residentKB, rssAfterStreamKB: after.residentKB,
                      serverVersion: serverVersion)
    }
}

/// VmHWM and VmRSS of this process from `/proc/self/status` (0 where unavailable, e.g. macOS).
struct MemoryStatus {
    var peakKB = 0
    var residentKB = 0

    static func read() -> MemoryStatus {
        var status = MemoryStatus()
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return status }
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let value = Int(parts[1]) else { continue }
            if parts[0] == "VmHWM:" { status.peakKB = value }
            if parts[0] == "VmRSS:" { status.residentKB = value }
        }
        return status
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
