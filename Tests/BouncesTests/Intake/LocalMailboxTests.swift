import FacteurTesting
import Foundation
import Testing
@testable import Bounces

/// Maildir and mbox sources on real files.
@Suite struct LocalMailboxTests {
    private func temporaryMaildir() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-maildir-\(UUID().uuidString.prefix(8))")
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        return root
    }

    private func listing(_ root: URL) throws -> [String] {
        try ["new", "cur"].flatMap { sub in
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(sub).path).map { "\(sub)/\($0)" }
        }.sorted()
    }

    @Test func maildirFinishesEachDispositionOnlyWhenTold() async throws {
        let root = try temporaryMaildir()
        defer { try? FileManager.default.removeItem(at: root) }
        let bounces = try IntakeFixtures.sampleBounces()
        for (index, bounce) in bounces.enumerated() {
            try Data(bounce).write(to: root.appendingPathComponent("new/100\(index).M1P1.host"))
        }
        // Already processed earlier (seen): not fetched.
        try Data("Subject: old\n\n".utf8).write(to: root.appendingPathComponent("cur/0999.M1P1.host:2,S"))

        let mailbox = MaildirMailbox(directory: root)
        let messages = try await mailbox.fetch(limit: 10)
        #expect(messages.map(\.id.rawValue) == ["1000.M1P1.host", "1001.M1P1.host", "1002.M1P1.host", "1003.M1P1.host"])
        #expect(messages.map(\.bytes) == bounces)
        // Fetching changed nothing on disk, and the same session does not hand them out again.
        #expect(try listing(root).filter { $0.hasPrefix("new/") }.count == 4)
        #expect(try await mailbox.fetch(limit: 10).isEmpty)

        try await mailbox.finish(messages[0].id, disposition: .delete)
        try await mailbox.finish(messages[1].id, disposition: .keep)
        try await mailbox.finish(messages[2].id, disposition: .flag("\\Flagged"))
        try await mailbox.finish(messages[3].id, disposition: .move(folder: "Processed"))
        await mailbox.close()

        #expect(try listing(root) == ["cur/0999.M1P1.host:2,S", "cur/1001.M1P1.host:2,S", "cur/1002.M1P1.host:2,FS"])
        let moved = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(".Processed/cur").path)
        #expect(moved == ["1003.M1P1.host:2,S"])
        // A new session finds nothing left to do.
        #expect(try await MaildirMailbox(directory: root).fetch(limit: 10).isEmpty)
    }

    @Test func maildirUnfinishedMessageComesBackInTheNextSession() async throws {
        let root = try temporaryMaildir()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data(try IntakeFixtures.sampleBounces()[0]).write(to: root.appendingPathComponent("new/1.M1.host"))
        let first = try await MaildirMailbox(directory: root).fetch(limit: 5)
        #expect(first.count == 1)
        // No finish (a crash before the commit): the message is still there for the next run.
        let second = try await MaildirMailbox(directory: root).fetch(limit: 5)
        #expect(second.map(\.id) == first.map(\.id))
        #expect(second.map(\.bytes) == first.map(\.bytes))
    }

    @Test func maildirLimitPagesThroughMessages() async throws {
        let root = try temporaryMaildir()
        defer { try? FileManager.default.removeItem(at: root) }
        for index in 0..<5 { try Data("Subject: \(index)\n\n".utf8).write(to: root.appendingPathComponent("new/\(index).x")) }
        let mailbox = MaildirMailbox(directory: root)
        #expect(try await mailbox.fetch(limit: 2).map(\.id.rawValue) == ["0.x", "1.x"])
        #expect(try await mailbox.fetch(limit: 2).map(\.id.rawValue) == ["2.x", "3.x"])
        #expect(try await mailbox.fetch(limit: 2).map(\.id.rawValue) == ["4.x"])
    }

    @Test func maildirThatDoesNotExistNamesThePath() async throws {
        let mailbox = MaildirMailbox(directory: URL(fileURLWithPath: "/nonexistent/facteur/Maildir"))
        await #expect {
            try await mailbox.fetch(limit: 1)
        } throws: { error in
            "\(error)".contains("/nonexistent/facteur/Maildir/new")
        }
    }

    @Test func mboxReadsEveryBounceAndNeverChangesTheFile() async throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-\(UUID().uuidString.prefix(8)).mbox")
        try FileManager.default.copyItem(at: IntakeFixtures.sampleMbox, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let before = try Data(contentsOf: copy)
        let mailbox = MboxMailbox(file: copy)
        let first = try await mailbox.fetch(limit: 3)
        let rest = try await mailbox.fetch(limit: 3)
        #expect(first.count == 3)
        #expect(rest.count == 1)
        #expect((first + rest).map(\.bytes) == (try IntakeFixtures.sampleBounces()))
        #expect(Set((first + rest).map(\.id)).count == 4)
        for message in first + rest { try await mailbox.finish(message.id, disposition: .delete) }
        await mailbox.close()
        #expect(try Data(contentsOf: copy) == before)
        // Ids depend on content only: a second reader names the messages the same way.
        let again = try await MboxMailbox(file: copy).fetch(limit: 10)
        #expect(again.map(\.id) == (first + rest).map(\.id))
    }
}
