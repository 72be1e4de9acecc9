import Foundation
import Testing
@testable import Bounces

@Suite struct MailboxEndpointTests {
    @Test func imapsURLWithEncodedPasswordAndFolder() throws {
        let endpoint = try MailboxEndpoint(url: "imaps://bounce%40example.org:p%3Ass%2Fw@mail.example.org/Bounces/2026")
        #expect(endpoint.kind == .imap)
        #expect(endpoint.implicitTLS)
        #expect(endpoint.port == 993)
        #expect(endpoint.user == "bounce@example.org")
        #expect(endpoint.password == "p:ss/w")
        #expect(endpoint.folder == "Bounces/2026")
        #expect(endpoint.startTLS == .off)
        #expect(endpoint.key == "imaps://bounce@example.org@mail.example.org:993/Bounces/2026")
        #expect(!endpoint.key.contains("p:ss"))
    }

    @Test func defaultsPerScheme() throws {
        let imap = try MailboxEndpoint(url: "imap://u:p@h", startTLS: .required)
        #expect((imap.port, imap.folder, imap.startTLS) == (143, "INBOX", .required))
        #expect(try MailboxEndpoint(url: "pop3://u:p@h").port == 110)
        #expect(try MailboxEndpoint(url: "pop3s://u:p@h").port == 995)
        #expect(try MailboxEndpoint(url: "pop3://u:p@h:1110").key == "pop3://u@h:1110")
    }

    @Test func badURLsSayWhatIsWrongWithoutThePassword() {
        for (url, words) in [("smtp://u:secret@h", "scheme smtp"), ("imap://h", "no user"), ("imap://u:secret@", "no host"),
                                ("pop3://u:sec%0D%0ADELE%201@h", "line break")] {
            #expect {
                try MailboxEndpoint(url: url)
            } throws: { error in
                "\(error)".contains(words) && !"\(error)".contains("secret")
            }
        }
    }

    @Test func listenAddressParsing() {
        #expect(BounceListener.address("127.0.0.2:2525")! == ("127.0.0.2", 2525))
        #expect(BounceListener.address(":25")! == ("127.0.0.1", 25))
        #expect(BounceListener.address("[::1]:2525")! == ("::1", 2525))
        #expect(BounceListener.address("nonsense") == nil)
        #expect(BounceListener.address("h:99999") == nil)
    }

    @Test func localURLsOpenFileSources() async throws {
        let mbox = try await BounceMailboxes.open(url: "mbox://\(IntakeFixtures.sampleMbox.path)")
        #expect(mbox is MboxMailbox)
        #expect(try await mbox.fetch(limit: 10).count == 4)
        let maildir = try await BounceMailboxes.open(url: "maildir:///var/mail/bounces/Maildir")
        #expect(maildir.key == "maildir:///var/mail/bounces/Maildir")
        #expect(try await BounceMailboxes.open(url: IntakeFixtures.sampleMbox.path) is MboxMailbox)
    }
}
