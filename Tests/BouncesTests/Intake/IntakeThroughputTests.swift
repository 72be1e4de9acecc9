import FacteurTesting
import Foundation
import SMTP
import Testing
@testable import Bounces

/// Opt-in measurement (`FACTEUR_BENCH_INTAKE=1`, not in CI): messages per second read and
/// finished with `delete` (one `finish` per batch) from each source, 2,000 copies of PHPList's sample bounces, batches of 200.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FACTEUR_BENCH_INTAKE"] != nil, "set FACTEUR_BENCH_INTAKE=1 to measure"))
struct IntakeThroughputTests {
    static let count = 2_000

    private func messages() throws -> [[UInt8]] {
        let sample = try IntakeFixtures.sampleBounces()
        return (0..<Self.count).map { sample[$0 % sample.count] }
    }

    private func drain(_ mailbox: any BounceMailbox) async throws -> Int {
        var total = 0
        while true {
            let batch = try await mailbox.fetch(limit: 200)
            if batch.isEmpty { break }
            try await mailbox.finish(batch.map(\.id), disposition: .delete)
            total += batch.count
        }
        await mailbox.close()
        return total
    }

    private func report(_ name: String, _ count: Int, since start: ContinuousClock.Instant) {
        let seconds = Double((ContinuousClock.now - start).components.attoseconds) / 1e18 + Double((ContinuousClock.now - start).components.seconds)
        print("intake \(name): \(count) messages in \(String(format: "%.2f", seconds)) s = \(Int(Double(count) / seconds)) msg/s")
    }

    @Test func mailboxSources() async throws {
        let dovecot = try await TestDovecot.start()
        defer { dovecot.stop() }
        try dovecot.deliver(try messages())
        var start = ContinuousClock.now
        let imap = try await drain(IMAPMailbox.open(MailboxEndpoint(url: dovecot.imapURL(), startTLS: .off)))
        report("IMAP fetch+delete", imap, since: start)
        #expect(imap == Self.count)

        try dovecot.deliver(try messages())
        start = .now
        let pop3 = try await drain(POP3Mailbox.open(MailboxEndpoint(url: dovecot.pop3URL(), startTLS: .off)))
        report("POP3 fetch+DELE+QUIT", pop3, since: start)
        #expect(pop3 == Self.count)

        try dovecot.deliver(try messages())
        start = .now
        let maildir = try await drain(MaildirMailbox(directory: dovecot.maildir()))
        report("Maildir fetch+unlink", maildir, since: start)
        #expect(maildir == Self.count)
    }

    @Test func listener() async throws {
        let listener = try await BounceListener.start(
            host: "127.0.0.6", port: 0, settings: .init(hostname: "b", domains: ["example.org"], maxSize: 1_000_000)) { _ in }
        defer { Task { await listener.stop() } }
        let connection = try await SMTPConnection.connect(to: SMTPRelayConfiguration(host: "127.0.0.6", port: listener.port, startTLS: .off))
        let envelope = SMTPEnvelope(mailFrom: "", recipients: ["bounces@example.org"])
        let all = try messages()
        let start = ContinuousClock.now
        for message in all { _ = try await connection.send(envelope: envelope, message: message) }
        report("SMTP listener, one connection", all.count, since: start)
        await connection.quit()
    }
}
