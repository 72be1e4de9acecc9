import FacteurTesting
import Foundation
import Testing
@testable import Bounces

/// `IMAPMailbox` against the shared Dovecot (plain IMAP), each test in a folder of its own.
@Suite(.enabled(if: TestDovecot.runTests, "Dovecot is not installed (scripts/services.sh up)"))
struct IMAPDovecotTests {
    private func folder() -> String { "t\(UInt32.random(in: 0...UInt32.max))" }

    private func open(_ dovecot: TestDovecot, folder: String, processedFlags: [String] = [],
                      ledger: (any KeptMessageLedger)? = nil) async throws -> IMAPMailbox {
        try await IMAPMailbox.open(MailboxEndpoint(url: dovecot.imapURL(folder: folder), startTLS: .off),
                                   processedFlags: processedFlags, ledger: ledger)
    }

    @Test func fetchesTheSampleBouncesAndRemovesNothingBeforeFinish() async throws {
        let dovecot = try TestDovecot.shared()
        let folder = folder()
        defer { dovecot.removeFolder(folder) }
        let bounces = try IntakeFixtures.sampleBounces()
        try dovecot.deliver(bounces, folder: folder)

        let mailbox = try await open(dovecot, folder: folder)
        let messages = try await mailbox.fetch(limit: 100)
        #expect(messages.count == 4)
        // Dovecot serves the stored bytes with CRLF line ends.
        #expect(messages.map(\.bytes) == bounces.map(IntakeFixtures.crlf))
        #expect(messages.allSatisfy { $0.receivedFrom.hasSuffix("/\(folder)") })
        #expect(try await mailbox.fetch(limit: 100).isEmpty)
        await mailbox.close()

        // Nothing was finished: all four are still there and unseen (BODY.PEEK).
        #expect(dovecot.files(folder: folder).count == 4)
        #expect(dovecot.files(folder: folder).allSatisfy { !$0.contains(":2,S") })
        let again = try await open(dovecot, folder: folder)
        #expect(try await again.fetch(limit: 100).map(\.id) == messages.map(\.id))
        await again.close()
    }

    @Test func deleteMoveAndFlagAfterCommit() async throws {
        let dovecot = try TestDovecot.shared()
        let folder = folder()
        let processed = folder + "-done"
        defer { dovecot.removeFolder(folder); dovecot.removeFolder(processed) }
        let bounces = try IntakeFixtures.sampleBounces()
        try dovecot.deliver(bounces, folder: folder)
        // `processed` does not exist yet: the first move creates it (TRYCREATE).

        let mailbox = try await open(dovecot, folder: folder, processedFlags: ["\\Seen", "$FacteurDone"])
        #expect(await mailbox.capabilities.contains("UIDPLUS"))
        let messages = try await mailbox.fetch(limit: 2)
        #expect(messages.count == 2)
        try await mailbox.finish(messages[0].id, disposition: .delete)
        try await mailbox.finish(messages[1].id, disposition: .move(folder: processed))
        let next = try await mailbox.fetch(limit: 10)
        #expect(next.count == 2)
        try await mailbox.finish(next[0].id, disposition: .seen)
        try await mailbox.finish(next[1].id, disposition: .flag("$FacteurDone"))
        await mailbox.close()

        let left = dovecot.files(folder: folder)
        #expect(left.count == 2)
        #expect(left.allSatisfy { $0.hasPrefix("cur/") })
        #expect(left.filter { $0.hasSuffix(":2,S") }.count == 1)
        #expect(dovecot.files(folder: processed).count == 1)
        // A new session skips flagged messages: nothing is left to read.
        let again = try await open(dovecot, folder: folder, processedFlags: ["\\Seen", "$FacteurDone"])
        #expect(try await again.fetch(limit: 10).isEmpty)
        await again.close()
    }

    @Test func keptMessagesAreRememberedInTheDatabase() async throws {
        let dovecot = try TestDovecot.shared()
        let database = try await IntakeDatabase.create()
        let folder = folder()
        defer { dovecot.removeFolder(folder) }
        try dovecot.deliver(Array(try IntakeFixtures.sampleBounces().prefix(2)), folder: folder)
        let ledger = MariaDBKeptMessageLedger(pool: database.pool)

        let mailbox = try await open(dovecot, folder: folder, ledger: ledger)
        let messages = try await mailbox.fetch(limit: 10)
        try await mailbox.finish(messages[0].id, disposition: .keep)
        await mailbox.close()

        let again = try await open(dovecot, folder: folder, ledger: ledger)
        #expect(try await again.fetch(limit: 10).map(\.id) == [messages[1].id])
        await again.close()
        #expect(dovecot.files(folder: folder).count == 2)
        await database.drop()
    }

    @Test func wrongPasswordIsAnAuthenticationError() async throws {
        let dovecot = try TestDovecot.shared()
        let url = dovecot.imapURL().replacingOccurrences(of: ":secret@", with: ":wrong@")
        await #expect {
            try await IMAPMailbox.open(MailboxEndpoint(url: url, startTLS: .off))
        } throws: { error in
            guard let error = error as? MailboxError, case .authenticationFailed = error.kind else { return false }
            return !"\(error)".contains("wrong")
        }
    }

    @Test func requiredSTARTTLSOnAServerWithoutTLSFails() async throws {
        let dovecot = try TestDovecot.shared()
        await #expect {
            try await IMAPMailbox.open(MailboxEndpoint(url: dovecot.imapURL(), startTLS: .required))
        } throws: { error in
            (error as? MailboxError)?.kind == .tlsUnavailable
        }
    }

    @Test func missingFolderNamesTheCommand() async throws {
        let dovecot = try TestDovecot.shared()
        await #expect {
            try await IMAPMailbox.open(MailboxEndpoint(url: dovecot.imapURL(folder: "no-such-folder-\(UUID().uuidString)"), startTLS: .off))
        } throws: { error in
            guard let error = error as? MailboxError, case .commandFailed(let command, _) = error.kind else { return false }
            return command == "SELECT"
        }
    }
}
