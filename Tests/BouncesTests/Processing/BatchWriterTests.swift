import FacteurTesting
import Foundation
import MariaDB
import Testing
@testable import Bounces

/// `BounceProcessor.process(batch:)` (one transaction, set-based statements) must leave the database
/// exactly as processing the same messages one at a time does.
@Suite struct BatchWriterTests {
    /// The sample's four bounces, two bounces for one subscriber and campaign (the second a duplicate),
    /// the same bytes twice, a hard bounce and an unidentified message.
    static func mixedMessages() throws -> [[UInt8]] {
        let repeated = ProcessingFixture.dsn(email: "user0007@example.com", campaign: 2, tag: "repeated")
        return try ProcessingFixture.sampleMessages() + [
            ProcessingFixture.dsn(email: "user0005@example.com", campaign: 2),
            ProcessingFixture.dsn(email: "user0005@example.com", campaign: 2, tag: "again"),
            repeated,
            ProcessingFixture.dsn(email: "user0009@example.com", campaign: 2, status: "5.1.1", text: "User unknown"),
            repeated,
            Array("From: someone@example.net\nSubject: hello\n\nnot a bounce at all\n".utf8),
        ]
    }

    /// Auto-increment ids are left out: the one-by-one path consumes an id for a copy it then rolls back.
    static let snapshotQueries = [
        "SELECT status, comment, header, data FROM phplist_bounce ORDER BY id",
        "SELECT u.user, u.message, b.status FROM phplist_user_message_bounce u JOIN phplist_bounce b ON b.id = u.bounce ORDER BY u.user, u.message, b.id",
        "SELECT id, bouncecount, confirmed, blacklisted FROM phplist_user_user WHERE bouncecount > 0 OR NOT confirmed OR blacklisted ORDER BY id",
        "SELECT id, bouncecount FROM phplist_message ORDER BY id",
        "SELECT HEX(s.sha256), b.status, s.size FROM facteur_bounce_seen s LEFT JOIN phplist_bounce b ON b.id = s.bounce_id ORDER BY HEX(s.sha256)",
        "SELECT userid, summary, detail FROM phplist_user_user_history ORDER BY id",
        "SELECT entry FROM phplist_eventlog ORDER BY id",
    ]

    func snapshot(_ f: ProcessingFixture) async throws -> [[[MariaDBValue]]] {
        var result: [[[MariaDBValue]]] = []
        for query in Self.snapshotQueries { result.append(try await f.rows(query)) }
        return result
    }

    @Test(arguments: [BounceProcessingSettings.Policy.phplist, .facteur])
    func oneBatchWritesWhatOneByOneWrites(policy: BounceProcessingSettings.Policy) async throws {
        let messages = try Self.mixedMessages()
        let single = try await ProcessingFixture.make()
        defer { Task { await single.tearDown() } }
        let batched = try await ProcessingFixture.make()
        defer { Task { await batched.tearDown() } }

        let one = single.processor(BounceProcessingSettings(policy: policy))
        var expected: [BounceOutcome] = []
        for (index, message) in messages.enumerated() { expected.append(try await one.process(message, source: "m\(index)")) }

        let many = batched.processor(BounceProcessingSettings(policy: policy))
        let outcomes = try await many.process(batch: messages.enumerated().map { (source: "m\($0.offset)", bounce: many.prepare($0.element)) })

        func withoutIDs(_ list: [BounceOutcome]) -> [BounceOutcome] {
            list.map { var outcome = $0; outcome.bounceID = nil; return outcome }
        }
        #expect(withoutIDs(outcomes) == withoutIDs(expected))
        #expect(outcomes.filter { $0.disposition == .alreadySeen }.count == 1)
        let singleRows = try await snapshot(single)
        let batchedRows = try await snapshot(batched)
        for (query, (a, b)) in zip(Self.snapshotQueries, zip(singleRows, batchedRows)) {
            #expect(a == b, "\(query)")
        }
        #expect(try await batched.int("SELECT COUNT(*) FROM phplist_bounce") == messages.count - 1)
    }

    @Test func concurrentBatchesWithTheSameMessagesCountEachOnce() async throws {
        let f = try await ProcessingFixture.make()
        defer { Task { await f.tearDown() } }
        let processor = f.processor(BounceProcessingSettings(policy: .phplist))
        let messages = (1...20).map { ProcessingFixture.dsn(email: String(format: "user%04d@example.com", $0), campaign: 2) }
        let outcomes = try await withThrowingTaskGroup(of: [BounceOutcome].self) { group in
            for copy in 0..<4 {
                group.addTask {
                    try await processor.process(batch: messages.map { (source: "copy \(copy)", bounce: processor.prepare($0)) })
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(outcomes.filter { $0.disposition == .recorded }.count == 20)
        #expect(outcomes.filter { $0.disposition == .alreadySeen }.count == 60)
        #expect(try await f.int("SELECT COUNT(*) FROM phplist_bounce") == 20)
        #expect(try await f.int("SELECT bouncecount FROM phplist_message WHERE id = 2") == 20)
        let identified = outcomes.filter { $0.disposition == .recorded && $0.subscriberID != nil }.count
        #expect(identified > 0)
        #expect(try await f.int("SELECT SUM(bouncecount) FROM phplist_user_user") == identified)
    }
}
