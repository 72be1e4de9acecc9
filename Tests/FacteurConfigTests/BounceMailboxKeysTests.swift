import Testing
@testable import FacteurConfig

/// The keys that say what becomes of a processed bounce, and the bounce service's timing and rate.
@Suite struct BounceMailboxKeysTests {
    @Test func mailboxDispositionsAndServiceKeysAreRead() throws {
        let config = try loadYAML("""
            database: {url: 'mysql://r@127.0.0.1/d'}
            bounces:
              poll_interval: 15
              listen_rate: 600
              mailboxes:
                - url: imaps://bounces:secret@mail.example.org/INBOX
                  tls_ca_file: /etc/facteur/ca.pem
                  processed: move:Done
                  unprocessed: flag:$Unknown
            """)
        #expect(config.bounces.pollInterval == 15)
        #expect(config.bounces.listenRate == 600)
        let mailbox = try #require(config.bounces.mailboxes.first)
        #expect(mailbox.tlsCAFile == "/etc/facteur/ca.pem")
        #expect(MailboxAfterProcessing.resolve(mailbox.processed, purge: true) == .move(folder: "Done"))
        #expect(MailboxAfterProcessing.resolve(mailbox.unprocessed, purge: true) == .flag("$Unknown"))
        #expect(config.validate().filter { $0.key.hasPrefix("bounces") } == [])
    }

    @Test func emptyDispositionFollowsPHPListsPurgeSettings() {
        #expect(MailboxAfterProcessing.resolve("", purge: true) == .delete)
        #expect(MailboxAfterProcessing.resolve(" ", purge: false) == .keep)
        #expect(MailboxAfterProcessing.resolve("flag", purge: false) == .flag("\\Seen"))
        #expect(MailboxAfterProcessing.resolve("move:", purge: true) == nil)
    }

    @Test func badValuesAreNamed() {
        var config = FacteurConfiguration()
        config.database.url = "mysql://r@127.0.0.1/d"
        config.relays = [RelayConfiguration(name: "a", url: "smtp://127.0.0.1:2525")]
        var mailbox = MailboxConfiguration(url: "mbox:///var/mail/bounces")
        mailbox.processed = "shred"
        config.bounces.mailboxes = [mailbox]
        config.bounces.pollInterval = 0
        config.bounces.listenRate = 0
        #expect(config.validate().map(\.key) == ["bounces.mailboxes[0].processed", "bounces.poll_interval", "bounces.listen_rate"])
    }
}
