import PHPList
import Testing
@testable import Bounces

/// The pure pieces that reproduce PHPList 3.6.15's processbounces, checked on the cases its code implies.
@Suite struct PHPListSemanticsTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func messageIDNeedsCRLFAndTakesTheFirstHeaderAnywhere() {
        #expect(PHPListHeaderSearch.messageID(in: Self.bytes("text\r\nX-MessageID: 2\r\nX-Message: 9\r\n")) == "2")
        #expect(PHPListHeaderSearch.messageID(in: Self.bytes("x-message:  systemmessage \r\n")) == "systemmessage")
        // PHPList's regex has no line anchor and needs CRLF; a bare LF line is skipped.
        #expect(PHPListHeaderSearch.messageID(in: Self.bytes("Original-X-MessageId: 7\r\n")) == "7")
        #expect(PHPListHeaderSearch.messageID(in: Self.bytes("X-MessageID: 2\nX-MessageID: 3\r\n")) == "3")
        #expect(PHPListHeaderSearch.messageID(in: Self.bytes("X-MessageID:2\r\n")) == nil)
        #expect(PHPListHeaderSearch.subscriberToken(in: Self.bytes("X-User: abc\r\nX-ListMember: a@b.c\r\n")) == "abc")
    }

    @Test func addressCandidatesFollowPHPListsPattern() {
        let body = Self.bytes("<user_1@example.org>: failed; also x@y and trailing.dot@example.com. and @nothing")
        #expect(PHPListHeaderSearch.addressCandidates(in: body) == ["user_1@example.org", "x@y", "trailing.dot@example.com."])
    }

    @Test func phpIntegerAndEmptiness() {
        #expect(PHPListHeaderSearch.phpInt(" 12abc") == 12)
        #expect(PHPListHeaderSearch.phpInt("abc") == 0)
        #expect(PHPListHeaderSearch.isPHPEmpty("0"))
        #expect(!PHPListHeaderSearch.isPHPEmpty("00"))
    }

    @Test func viewSplitsHeaderWithItsBlankLineAndDecodesTopLevelEncoding() {
        let view = PHPListBounceView(raw: Self.bytes("Subject: x\nContent-Transfer-Encoding: base64\n\nSGVsbG8=\n"))
        #expect(view.header == Self.bytes("Subject: x\r\nContent-Transfer-Encoding: base64\r\n\r\n"))
        #expect(view.body == Self.bytes("Hello"))
        let quoted = PHPListBounceView(raw: Self.bytes("Content-Transfer-Encoding: quoted-printable\r\n\r\nX-MessageID: =32\r\n"))
        #expect(PHPListHeaderSearch.messageID(in: quoted.body) == "2")
        #expect(PHPListBounceView(raw: []).header.isEmpty)
    }

    @Test func headerColumnTextKeepsToTheBasicPlane() {
        #expect(PHPListBounceView.columnText(Self.bytes("a😀b") + [0xFF], limit: 100) == "a\u{FFFD}b\u{FFFD}")
        #expect(PHPListBounceView.columnText(Self.bytes("abcdef"), limit: 4) == "abcd")
    }

    @Test func datesAsStrtotimeReadsThem() {
        #expect(MailDateParser.unixTime("Sun, 29 Nov 2026 05:45:44 -0000") == 1_795_931_144)
        #expect(MailDateParser.unixTime("29 Nov 2026 06:45:44 +0100 (CET)") == 1_795_931_144)
        #expect(MailDateParser.unixTime("Sun, 29 Nov 26 05:45 GMT") == 1_795_931_100)
        #expect(MailDateParser.unixTime("yesterday-ish") == nil)
        #expect(MailDateParser.unixTime("") == nil)
    }

    static func rule(_ id: Int, _ regex: String, _ action: String = "deletebounce") -> BounceRule {
        BounceRule(id: id, regex: regex, rawAction: action, listOrder: id, active: true, count: 0)
    }

    @Test func bounceRulesMatchAsPHPListDoes() {
        let text = Self.bytes("Diagnostic: 550 5.1.1 User  Unknown in table\r\nQuota: 100%(full)\r\n")
        // Spaces become \s+ (two spaces and any case match).
        #expect(BounceRuleMatcher(rules: [Self.rule(1, "user unknown")]).firstMatch(in: text)?.id == 1)
        // Literal try first: regex metacharacters in a plain text rule still match literally
        // (as a regex, "100%(full)" would need "100%full").
        #expect(BounceRuleMatcher(rules: [Self.rule(2, "100%(full)")]).firstMatch(in: text)?.id == 2)
        // With a space the literal try looks for "\s+" itself, and the regex needs the group right after the blank.
        #expect(BounceRuleMatcher(rules: [Self.rule(9, "quota: (full)")]).firstMatch(in: text) == nil)
        // Raw regex second, multi-line anchors.
        #expect(BounceRuleMatcher(rules: [Self.rule(3, "^quota: \\d+%")]).firstMatch(in: text)?.id == 3)
        // An unescaped '/' ends PHP's pattern early: the rule never matches.
        #expect(BounceRuleMatcher(rules: [Self.rule(4, "5.1.1/user")]).firstMatch(in: Self.bytes("5.1.1/user")) == nil)
        // An invalid pattern matches nothing and does not stop later rules.
        #expect(BounceRuleMatcher(rules: [Self.rule(5, "(unclosed"), Self.rule(6, "table")]).firstMatch(in: text)?.id == 6)
        // Order decides.
        #expect(BounceRuleMatcher(rules: [Self.rule(7, "quota"), Self.rule(8, "user")]).firstMatch(in: text)?.id == 7)
    }

    static func row(_ message: Int, _ bounce: Int?, _ status: String? = nil) -> SentMessageBounce {
        SentMessageBounce(message: message, bounce: bounce, status: status ?? bounce.map { _ in "bounced list message \(message)" },
                          comment: nil)
    }

    @Test func consecutiveBouncesWalkNewestFirst() {
        let three = [Self.row(4, 30), Self.row(3, 20), Self.row(2, 10)]
        #expect(ConsecutiveBounces.evaluate(three, threshold: 3, blacklistThreshold: 50) == .init(unconfirmAt: 3, blacklistAt: nil))
        // A delivered campaign in between ends the walk.
        let broken = [Self.row(4, 30), Self.row(3, nil), Self.row(2, 10)]
        #expect(ConsecutiveBounces.evaluate(broken, threshold: 2, blacklistThreshold: 50).unconfirmAt == nil)
        // Duplicate bounces are passed over, neither counting nor ending the walk.
        let duplicate = [Self.row(4, 30), Self.row(4, 31, "duplicate bounce for 6"), Self.row(3, 20)]
        #expect(ConsecutiveBounces.evaluate(duplicate, threshold: 2, blacklistThreshold: 50).unconfirmAt == 2)
        #expect(ConsecutiveBounces.evaluate(three, threshold: 2, blacklistThreshold: 3) == .init(unconfirmAt: 2, blacklistAt: 3))
        #expect(ConsecutiveBounces.evaluate(three, threshold: 2, blacklistThreshold: 0).blacklistAt == nil)
    }

    @Test func exchangeDelayNoticeIsRecognised() {
        #expect(BounceAnalysis.exchangeDelay(Self.bytes("Action: delayed\r\nStatus: 4.4.7\r\n")))
        #expect(!BounceAnalysis.exchangeDelay(Self.bytes("Action: delayed\r\nStatus: 4.4.1\r\n")))
    }

    @Test func facteurPolicyDefaultsAndOverrides() {
        var settings = BounceProcessingSettings()
        #expect(settings.action(for: .userunknown, isHard: true) == .unconfirm)
        #expect(settings.action(for: .mailboxfull, isHard: false) == .count)
        #expect(settings.action(for: .feedback, isHard: false) == .blacklist)
        #expect(settings.action(for: .vacation, isHard: false) == .ignore)
        settings.reasonOverrides[.mailboxfull] = .ignore
        #expect(settings.action(for: .mailboxfull, isHard: false) == .ignore)
    }
}
