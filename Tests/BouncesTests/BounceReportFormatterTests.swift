import Foundation
import SMTP
import Testing
@testable import Bounces

@Suite struct BounceReportFormatterTests {
    @Test func oneTSVLinePerRecipientWithSeverity() {
        let bounce = ParsedBounce(kind: .dsn, recipients: [
            BouncedRecipient(address: "gone@example.com", status: EnhancedStatus("5.1.1"), reason: .userunknown, isHard: true),
            BouncedRecipient(address: "full@example.com", status: EnhancedStatus("4.2.2"), reason: .mailboxfull, isHard: false),
            BouncedRecipient(address: "ok@example.com", status: EnhancedStatus("2.0.0"), action: .delivered, reason: .delivered),
        ])
        #expect(BounceReportFormatter.tsv(file: "a.eml", bounce: bounce) == """
        a.eml\tgone@example.com\t5.1.1\tuserunknown\thard
        a.eml\tfull@example.com\t4.2.2\tmailboxfull\tsoft
        a.eml\tok@example.com\t2.0.0\tdelivered\tnone
        """)
    }

    @Test func unreadableBounceGetsOneUndefinedLine() {
        let bounce = ParsedBounce(kind: .undefined)
        #expect(BounceReportFormatter.tsv(file: "x.eml", bounce: bounce) == "x.eml\t\t\tundefined\tsoft")
    }

    @Test func tabsInFieldsCannotBreakColumns() {
        let bounce = ParsedBounce(kind: .mtaText, recipients: [BouncedRecipient(address: "a\tb@example.com", reason: .onhold)])
        #expect(BounceReportFormatter.tsv(file: "f\t.eml", bounce: bounce).split(separator: "\t", omittingEmptySubsequences: false).count == 5)
    }

    @Test func jsonCarriesDiagnosticAndOriginalMessageID() throws {
        var bounce = ParsedBounce(kind: .dsn, recipients: [
            BouncedRecipient(address: "gone@example.com", status: EnhancedStatus("5.1.1"), replyCode: 550,
                             diagnostic: "550 5.1.1 User unknown", reason: .userunknown, isHard: true),
        ])
        bounce.originalMessageID = "m1@example.org"
        let line = BounceReportFormatter.json(file: "a.eml", bounce: bounce)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["reason"] as? String == "userunknown")
        #expect(object["severity"] as? String == "hard")
        #expect(object["replyCode"] as? Int == 550)
        #expect(object["originalMessageID"] as? String == "m1@example.org")
    }
}
