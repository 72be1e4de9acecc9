import FacteurTesting
import Foundation
import MariaDB
import Testing

@Suite struct PoolTests {
    @Test func neverOpensMoreThanMaxConnections() async throws {
        try await withTestDatabase(maxConnections: 3) { database, pool in
            // Each call reports how many sessions are open on this database while it runs.
            let observed = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await pool.withConnection { connection in
                            let rows = try connection.query(
                                "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = ?", [database.name])
                            _ = try connection.query("SELECT SLEEP(0.05)")
                            return try rows[0].decode("n", as: Int.self)
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(observed.count == 12)
            #expect(observed.allSatisfy { $0 >= 1 && $0 <= 3 }, "\(observed)")
            #expect(observed.contains { $0 > 1 }, "calls did not run concurrently: \(observed)")
            #expect(await pool.connectionsInUse == 0)
        }
    }

    @Test func reconnectsAfterTheServerKillsTheConnection() async throws {
        try await withTestDatabase(maxConnections: 1) { database, pool in
            let before = try await pool.withConnection { $0.connectionID }
            // Kill the pool's only session from outside the pool.
            let killer = MariaDBPool(configuration: database.configuration, maxConnections: 1)
            try await killer.execute("KILL \(before)")
            await killer.shutdown()
            // The next call finds the session dead, reconnects once, and succeeds.
            let (after, answer) = try await pool.withConnection { connection in
                (connection.connectionID, try connection.query("SELECT 41 + 1 AS n")[0].decode("n", as: Int.self))
            }
            #expect(answer == 42)
            #expect(after != before)
        }
    }

    @Test func blockingQueriesDoNotStarveTheCooperativePool() async throws {
        try await withTestDatabase(maxConnections: 8) { _, pool in
            // Warm up so the timing below measures queries, not connects.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { _ = try await pool.query("SELECT 1") } }
                try await group.waitForAll()
            }
            let ticker = Task { () -> Int in
                var ticks = 0
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(10))
                    ticks += 1
                }
                return ticks
            }
            // Each query reports when the server started and finished it. On 8 dedicated threads the 8
            // sleeps overlap; run on Swift's 2 cooperative threads they could not all be in flight at once.
            let spans = try await withThrowingTaskGroup(of: (Double, Double).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let row = try await pool.query(
                            "SELECT UNIX_TIMESTAMP(SYSDATE(6)) AS s, SLEEP(1) AS z, UNIX_TIMESTAMP(SYSDATE(6)) AS e"
                        )[0]
                        return (Double(try row.decode("s", as: String.self))!, Double(try row.decode("e", as: String.self))!)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            ticker.cancel()
            let ticks = await ticker.value
            let lastStart = spans.map(\.0).max()!
            let firstEnd = spans.map(\.1).min()!
            #expect(lastStart < firstEnd, "the 8 queries never all ran at once: \(spans)")
            // The unrelated task kept running meanwhile (a starved one makes no tick at all).
            #expect(ticks >= 3, "ticker ran \(ticks) times")
        }
    }

    @Test func waitersAreServedWhenAConnectionFrees() async throws {
        try await withTestDatabase(maxConnections: 1) { _, pool in
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<20 {
                    group.addTask { try await pool.query("SELECT ? AS i", [index])[0].decode("i", as: Int.self) }
                }
                return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
            }
            #expect(results == Set(0..<20))
        }
    }
}
