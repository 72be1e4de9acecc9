import NIOConcurrencyHelpers
import Testing
@testable import Worker

/// Marks written right after each 250 are grouped: senders finishing while a write runs share the next
/// write, each returns only once its own mark is written, and a failed write is reported to its group.
@Suite struct SentMarksTests {
    @Test func concurrentMarksShareWritesAndEachWaitsForItsOwn() async throws {
        let writes = NIOLockedValueBox<[[Int]]>([])
        let marks = SentMarks { ids in
            try? await Task.sleep(for: .milliseconds(20))
            writes.withLockedValue { $0.append(ids) }
            return true
        }
        let written = await withTaskGroup(of: (Int, Bool, Bool).self) { group in
            for id in 1...40 {
                group.addTask {
                    let ok = await marks.mark(id)
                    // When mark returns, the write holding this id has finished.
                    let seen = writes.withLockedValue { $0.contains { $0.contains(id) } }
                    return (id, ok, seen)
                }
            }
            var results: [(Int, Bool, Bool)] = []
            for await result in group { results.append(result) }
            return results
        }
        let groups = writes.withLockedValue { $0 }
        #expect(written.count == 40)
        #expect(written.allSatisfy { $0.1 && $0.2 })
        #expect(groups.flatMap { $0 }.sorted() == Array(1...40), "every mark written exactly once")
        #expect(groups.count < 40, "marks were not grouped: \(groups.count) writes")
    }

    @Test func aFailedWriteIsReportedToEveryMarkOfItsGroup() async throws {
        let marks = SentMarks { ids in !ids.contains(3) }
        #expect(await marks.mark(1))
        #expect(await marks.mark(3) == false)
        #expect(await marks.mark(2))
    }
}
