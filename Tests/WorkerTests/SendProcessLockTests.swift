import FacteurTesting
import Foundation
import MariaDB
import PHPList
import Testing
import Worker

/// Facteur's `sendprocess` row is a lock PHPList's processqueue respects, and Facteur waits for PHPList's.
/// The PHPList side is replayed from compat/phplist-3.6.15/sendprocess-lock.sql, query by query.
@Suite(.serialized) struct SendProcessLockTests {
    /// The numbered statements of sendprocess-lock.sql, comments removed.
    static func phplistLockQueries() throws -> [String] {
        let text = try String(contentsOf: TestServices.compatFile("phplist-3.6.15/sendprocess-lock.sql"), encoding: .utf8)
        let code = text.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: "\n")
        return code.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    static func bind(_ sql: String, page: String = "processqueue", id: Int = 0, ip: String = "") -> String {
        sql.replacingOccurrences(of: ":page", with: "'\(page)'").replacingOccurrences(of: ":id", with: String(id))
            .replacingOccurrences(of: ":ipaddress", with: "'\(ip)'")
    }

    @Test func phplistSeesFacteursRowAsALiveLock() async throws {
        let harness = try await WorkerHarness.start()
        let queries = try Self.phplistLockQueries()
        #expect(queries.count == 6)
        let lock = try await harness.phplist.acquireSendProcessLock(
            ipaddress: SendProcessLock.facteurIdentity(pid: 4242, host: String(repeating: "h", count: 80)))
        #expect(lock.ipaddress.count == 50 && lock.ipaddress.hasPrefix("facteur:4242@"))
        // PHPList's busy check finds the row, younger than its 600 s limit: "already running".
        let busy = try await harness.pool.query(Self.bind(queries[0]))
        #expect(busy.count == 1)
        #expect(try busy[0].decode("age", as: Int.self) < 600)
        #expect(try busy[0].decode("id", as: Int.self) == lock.id)
        // keepLock bumps alive; PHPList's "still ours?" reads it.
        #expect(try await harness.phplist.keepSendProcessLock(lock))
        #expect(try await harness.pool.query(Self.bind(queries[4], id: lock.id))[0].decode("alive", as: Int.self) == 2)
        try await harness.phplist.releaseSendProcessLock(lock)
        #expect(try await harness.pool.query(Self.bind(queries[0])).isEmpty)
        await harness.stop()
    }

    @Test func facteurWaitsForPHPListsProcessAndNoWaitFails() async throws {
        let harness = try await WorkerHarness.start()
        let queries = try Self.phplistLockQueries()
        // PHPList's processqueue takes the lock as it does on the command line.
        let taken = try await harness.pool.execute(Self.bind(queries[2], ip: "phplist.example:31337"))
        let phplistID = Int(taken.lastInsertID)

        var noWait = try harness.settings()
        noWait.waitForPHPListLock = false
        do {
            _ = try await harness.runner(noWait).processQueue()
            Issue.record("--no-wait ran while PHPList held the queue")
        } catch WorkerError.queueBusy(let holder, let age) {
            #expect(holder == "phplist.example:31337" && age < 600)
        }
        #expect(try harness.sink.messages().isEmpty)

        let runner = try harness.runner()
        let run = Task { try await runner.processQueue() }
        try await Task.sleep(for: .milliseconds(600))
        #expect(try harness.sink.messages().isEmpty, "Facteur sent while PHPList held the queue")
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_sendprocess") == 1)
        // PHPList releases; Facteur takes the queue, and PHPList now sees Facteur's row as busy.
        try await harness.pool.execute(Self.bind(queries[5], id: phplistID))
        var sawFacteurRow = false
        for _ in 0..<100 where !sawFacteurRow {
            let rows = try await WorkerHarness.rows(harness.pool, "SELECT ipaddress FROM phplist_sendprocess WHERE page = 'processqueue' AND alive")
            sawFacteurRow = rows.contains { $0[0].hasPrefix("facteur:") }
            if !sawFacteurRow { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(sawFacteurRow)
        let report = try await run.value
        #expect(report.campaigns.first?.ending == .finished)
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_sendprocess") == 0)
        await harness.stop()
    }
}
