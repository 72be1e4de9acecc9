import FacteurTesting
import Foundation
import MariaDB
import Testing
@testable import Bounces

@Suite struct BounceMailboxLeaseTests {
    @Test func oneHolderAtATimeUntilReleasedOrExpired() async throws {
        let database = try await IntakeDatabase.create()
        let key = "imap://bounces@127.0.0.1:10143/INBOX"
        let a = BounceMailboxLease(pool: database.pool, mailbox: key, workerID: "worker-a", seconds: 5)
        let b = BounceMailboxLease(pool: database.pool, mailbox: key, workerID: "worker-b", seconds: 30)

        #expect(try await a.acquire())
        #expect(try await a.acquire(), "the holder may acquire again (extends)")
        #expect(try await !b.acquire())
        #expect(try await a.holder() == "worker-a")
        #expect(try await a.renew())

        // worker-a dies: its lease runs out and worker-b takes over; a's renew then says so. (5 s, not less:
        // the steps above must fit in the lease even on a loaded CI machine.)
        try await Task.sleep(for: .milliseconds(5_300))
        #expect(try await b.acquire())
        #expect(try await !a.renew())
        #expect(try await !a.acquire())

        try await a.release() // not a's any more: no effect
        #expect(try await b.holder() == "worker-b")
        try await b.release()
        #expect(try await b.holder() == nil)
        #expect(try await a.acquire())
        await database.drop()
    }

    @Test func manyWorkersRacingGetExactlyOneLease() async throws {
        let database = try await IntakeDatabase.create()
        let key = "pop3://bounces@127.0.0.1:10110"
        let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await BounceMailboxLease(pool: database.pool, mailbox: key, workerID: "w\(index)").acquire()
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(winners == 1)
        await database.drop()
    }
}
