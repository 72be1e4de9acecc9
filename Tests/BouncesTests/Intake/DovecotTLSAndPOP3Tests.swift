import FacteurTesting
import Foundation
import Testing
@testable import Bounces

/// IMAP over TLS and POP3 (plain, STLS, pop3s) against a private Dovecot this suite's tests start
/// with a test certificate; certificate verification stays on (the test CA is trusted).
@Suite(.enabled(if: TestDovecot.runTests, "Dovecot is not installed (scripts/services.sh up)"))
struct DovecotTLSAndPOP3Tests {
    private func withDovecot(_ body: (TestDovecot, SinkCertificates) async throws -> Void) async throws {
        let certificates = try SinkCertificates.create()
        defer { certificates.remove() }
        let dovecot = try await TestDovecot.start(certificates: certificates)
        defer { dovecot.stop() }
        try await body(dovecot, certificates)
    }

    @Test func imapsAndSTARTTLSReadTheBounces() async throws {
        try await withDovecot { dovecot, certificates in
            let bounces = try IntakeFixtures.sampleBounces()
            try dovecot.deliver(bounces)
            let implicit = try await IMAPMailbox.open(MailboxEndpoint(url: dovecot.imapURL(tls: true), tlsCAFile: certificates.caFile))
            #expect(await implicit.isTLS)
            #expect(try await implicit.fetch(limit: 10).map(\.bytes) == bounces.map(IntakeFixtures.crlf))
            await implicit.close()

            let upgraded = try await IMAPMailbox.open(MailboxEndpoint(url: dovecot.imapURL(), startTLS: .required,
                                                                      tlsCAFile: certificates.caFile))
            #expect(await upgraded.isTLS)
            let messages = try await upgraded.fetch(limit: 10)
            #expect(messages.count == 4)
            for message in messages { try await upgraded.finish(message.id, disposition: .delete) }
            await upgraded.close()
            #expect(dovecot.files().isEmpty)
        }
    }

    @Test func untrustedCertificateIsATLSError() async throws {
        try await withDovecot { dovecot, _ in
            await #expect {
                try await IMAPMailbox.open(MailboxEndpoint(url: dovecot.imapURL(tls: true)))
            } throws: { error in
                guard let error = error as? MailboxError, case .tlsFailed = error.kind else { return false }
                return true
            }
        }
    }

    @Test func pop3DeletesOnlyAtQuit() async throws {
        try await withDovecot { dovecot, _ in
            let bounces = try IntakeFixtures.sampleBounces()
            try dovecot.deliver(bounces)
            let endpoint = try MailboxEndpoint(url: dovecot.pop3URL(), startTLS: .off)
            let mailbox = try await POP3Mailbox.open(endpoint)
            #expect(await mailbox.messageCount == 4)
            let messages = try await mailbox.fetch(limit: 10)
            #expect(messages.map(\.bytes) == bounces.map(IntakeFixtures.crlf))
            try await mailbox.finish(messages[0].id, disposition: .delete)
            try await mailbox.finish(messages[1].id, disposition: .delete)
            // DELE is not applied before QUIT.
            #expect(dovecot.files().count == 4)
            await mailbox.close()
            #expect(dovecot.files().count == 2)

            let again = try await POP3Mailbox.open(endpoint)
            #expect(try await again.fetch(limit: 10).map(\.id) == Array(messages.map(\.id).suffix(2)))
            await again.close()
        }
    }

    /// A worker that dies after DELE but before QUIT (before the commit was confirmed) loses nothing.
    @Test func pop3SessionDroppedBeforeQuitDeletesNothing() async throws {
        try await withDovecot { dovecot, _ in
            try dovecot.deliver(try IntakeFixtures.sampleBounces())
            let endpoint = try MailboxEndpoint(url: dovecot.pop3URL(), startTLS: .off)
            let mailbox = try await POP3Mailbox.open(endpoint)
            let messages = try await mailbox.fetch(limit: 10)
            for message in messages { try await mailbox.finish(message.id, disposition: .delete) }
            await mailbox.abandon()
            let again = try await POP3Mailbox.open(endpoint)
            #expect(try await again.fetch(limit: 10).map(\.id) == messages.map(\.id))
            await again.close()
        }
    }

    @Test func pop3KeptMessagesAreNotFetchedAgain() async throws {
        try await withDovecot { dovecot, _ in
            let database = try await IntakeDatabase.create()
            try dovecot.deliver(try IntakeFixtures.sampleBounces())
            let ledger = MariaDBKeptMessageLedger(pool: database.pool)
            let endpoint = try MailboxEndpoint(url: dovecot.pop3URL(), startTLS: .off)

            let first = try await POP3Mailbox.open(endpoint, ledger: ledger)
            let messages = try await first.fetch(limit: 2)
            for message in messages { try await first.finish(message.id, disposition: .keep) }
            await first.close()

            let second = try await POP3Mailbox.open(endpoint, ledger: ledger)
            let rest = try await second.fetch(limit: 10)
            #expect(rest.count == 2)
            #expect(Set(rest.map(\.id)).isDisjoint(with: messages.map(\.id)))
            try await second.finish(rest[0].id, disposition: .delete)
            await second.close()
            #expect(dovecot.files().count == 3)
            #expect(try await ledger.keptIDs(mailbox: endpoint.key) == Set(messages.map(\.id.rawValue)))
            await database.drop()
        }
    }

    @Test func pop3OverSTLSAndPOP3S() async throws {
        try await withDovecot { dovecot, certificates in
            try dovecot.deliver(Array(try IntakeFixtures.sampleBounces().prefix(1)))
            for url in [dovecot.pop3URL(), dovecot.pop3URL(tls: true)] {
                let mailbox = try await POP3Mailbox.open(MailboxEndpoint(url: url, startTLS: .required, tlsCAFile: certificates.caFile))
                #expect(await mailbox.isTLS)
                #expect(try await mailbox.fetch(limit: 10).count == 1)
                await mailbox.close()
            }
        }
    }
}
