import SMTP
import Testing
@testable import Bounces

@Suite struct BounceParserTests {
    static let handmadeDSN = """
    From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
    To: bounces@example.org
    Subject: Undelivered Mail Returned to Sender
    Date: Sun, 29 Nov 2026 05:55:44 +0000
    MIME-Version: 1.0
    Content-Type: multipart/report; report-type=delivery-status; boundary="R"

    --R
    Content-Type: text/plain

    I'm sorry to have to inform you that your message could not be delivered.

    --R
    Content-Type: message/delivery-status

    Reporting-MTA: dns; mx.example.net

    Final-Recipient: rfc822; gone@example.com
    Action: failed
    Status: 5.1.1
    Remote-MTA: dns; mx.example.com
    Diagnostic-Code: smtp; 550 5.1.1 <gone@example.com>: Recipient address rejected:
        User unknown in local recipient table

    Final-Recipient: rfc822; full@example.com
    Action: failed
    Status: 4.2.2
    Diagnostic-Code: smtp; 452 4.2.2 Mailbox full
    --R
    Content-Type: message/rfc822

    Message-ID: <campaign-7@example.org>
    X-MessageId: 7
    X-ListMember: gone@example.com
    To: gone@example.com

    Hello
    --R--
    """

    @Test func readsEveryRecipientOfADSN() throws {
        let bounce = BounceParser.parse(Array(Self.handmadeDSN.utf8))
        #expect(bounce.kind == .dsn)
        #expect(bounce.subject == "Undelivered Mail Returned to Sender")
        #expect(bounce.recipients.count == 2)
        let gone = try #require(bounce.recipients.first)
        #expect(gone.address == "gone@example.com")
        #expect(gone.status == EnhancedStatus("5.1.1"))
        #expect(gone.replyCode == 550)
        #expect(gone.remoteMTA == "mx.example.com")
        #expect(gone.diagnostic.contains("User unknown in local recipient table"))
        #expect(gone.reason == .userunknown)
        #expect(gone.isHard)
        let full = try #require(bounce.recipients.last)
        #expect(full.reason == .mailboxfull)
        #expect(!full.isHard)
    }

    @Test func exposesTheReturnedMessageHeaders() {
        let bounce = BounceParser.parse(Array(Self.handmadeDSN.utf8))
        #expect(bounce.originalMessageID == "campaign-7@example.org")
        #expect(bounce.originalHeaders["X-MessageId"] == "7")
        #expect(bounce.originalHeaders["X-ListMember"] == "gone@example.com")
    }

    @Test func successDSNReportsDelivered() {
        let text = Self.handmadeDSN
            .replacing("Action: failed", with: "Action: delivered")
            .replacing("Status: 5.1.1", with: "Status: 2.0.0")
            .replacing("Status: 4.2.2", with: "Status: 2.0.0")
        let bounce = BounceParser.parse(Array(text.utf8))
        #expect(bounce.recipients.map(\.reason) == [.delivered, .delivered])
        #expect(bounce.recipients.allSatisfy { !$0.isHard })
    }

    @Test func feedbackReportIsFeedback() {
        let arf = """
        From: fbl@isp.example
        Subject: complaint
        Content-Type: multipart/report; report-type=feedback-report; boundary="F"

        --F
        Content-Type: text/plain

        This is an abuse report.
        --F
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: FBL/1.0
        Version: 1
        Original-Rcpt-To: reader@isp.example
        --F
        Content-Type: text/rfc822-headers

        Message-ID: <m1@example.org>
        X-MessageId: 3
        To: reader@isp.example
        --F--
        """
        let bounce = BounceParser.parse(Array(arf.utf8))
        #expect(bounce.kind == .feedback)
        #expect(bounce.recipients.map(\.address) == ["reader@isp.example"])
        #expect(bounce.recipients.first?.reason == .feedback)
        #expect(bounce.originalHeaders["X-MessageId"] == "3")
    }

    @Test(arguments: [
        "Auto-Submitted: auto-replied\nSubject: Re: hello",
        "Subject: =?iso-8859-1?Q?Abwesenheitsnotiz?=",
        "Subject: Automatic reply: offer",
        "X-Autoreply: yes\nSubject: hi",
        "Precedence: auto_reply\nSubject: hi",
        "Subject: =?ISO-2022-JP?B?GyRCSVQ6XxsoQg==?=",
    ])
    func autoRepliesAreVacation(headers: String) {
        let bounce = BounceParser.parse(Array("From: Reader <reader@example.com>\n\(headers)\n\nI am away.\n".utf8))
        #expect(bounce.kind == .autoReply)
        #expect(bounce.recipients.map(\.reason) == [.vacation])
        #expect(bounce.recipients.first?.address == "reader@example.com")
    }

    @Test func ordinaryMailIsNotABounce() {
        let bounce = BounceParser.parse(Array("From: a@example.com\nTo: b@example.org\nSubject: lunch?\n\nAt noon?\n".utf8))
        #expect(bounce.kind == .nonBounce)
        #expect(BounceReportFormatter.tsv(file: "m.eml", bounce: bounce) == "m.eml\t\t\tnone\tnone")
    }

    @Test(arguments: [[UInt8](), Array("\r\n\r\n".utf8), [0xFF, 0x00, 0x0D, 0x0D, 0x0A, 0xC3], Array("Content-Type: multipart/mixed; boundary=\"\"\n\n--\n--\n".utf8),
                      Array("Content-Type: message/delivery-status\n\nFinal-Recipient: ;\nStatus: 9.9.9.9\nAction:".utf8),
                      Array("=?utf-8?b?".utf8), Array(repeating: 0x3D, count: 1000)])
    func malformedInputNeverCrashes(bytes: [UInt8]) {
        let bounce = BounceParser.parse(bytes)
        #expect(bounce.recipients.allSatisfy { $0.reason != .delivered })
    }

    @Test func deeplyNestedMultipartStops() {
        var text = ""
        for depth in 0..<200 { text += "Content-Type: multipart/mixed; boundary=b\(depth)\n\n--b\(depth)\n" }
        let bounce = BounceParser.parse(Array(text.utf8))
        #expect(bounce.kind != .dsn)
    }

    @Test func randomBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<2000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = BounceParser.parse(bytes)
        }
    }
}
