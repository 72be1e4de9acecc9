import SMTP
import Testing
@testable import Bounces

/// The general rules that decide between a dead mailbox (hard) and a refusal (soft).
@Suite struct ClassificationRuleTests {
    @Test func userUnknownWithMailboxDisabledCodeIsAFilterUnlessSaidAtRCPT() {
        let diagnostic = "550 5.2.1 <a@example.jp>... User Unknown"
        let alone = BounceClassifier.classify(status: EnhancedStatus("5.2.1"), replyCode: 550, diagnostic: diagnostic)
        #expect(alone.reason == .filtered)
        #expect(!alone.isHard)
        let atRCPT = BounceClassifier.classify(status: EnhancedStatus("5.2.1"), replyCode: 550,
                                               diagnostic: diagnostic + " (in reply to RCPT TO command)")
        #expect(atRCPT.reason == .userunknown)
        #expect(atRCPT.isHard)
    }

    @Test func userUnknownWithSecurityCodeIsAFilter() {
        let verdict = BounceClassifier.classify(status: EnhancedStatus("5.7.1"), replyCode: 550,
                                                diagnostic: "550 5.7.1 550 User Unknown: b@example.org")
        #expect(verdict.reason == .filtered)
        #expect(!verdict.isHard)
    }

    @Test func badMailboxCodeStaysHardWhateverTheCommand() {
        let verdict = BounceClassifier.classify(status: EnhancedStatus("5.1.1"), replyCode: 550,
                                                diagnostic: "550 5.1.1 User unknown", dialogue: ">>> DATA\n<<< 550 5.1.1 User unknown")
        #expect(verdict.reason == .userunknown)
        #expect(verdict.isHard)
    }

    @Test func documentedNoAccountWordingAfterDataIsUnknownUser() {
        let text = "554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0]"
        let verdict = BounceClassifier.classify(status: EnhancedStatus("5.0.0"), replyCode: 554, diagnostic: text,
                                                dialogue: ">>> DATA\n<<< " + text)
        #expect(verdict.reason == .userunknown)
        #expect(verdict.isHard)
        let bare = BounceClassifier.classify(status: EnhancedStatus("5.0.0"), replyCode: 550, diagnostic: "550 User unknown",
                                             dialogue: ">>> DATA\n<<< 550 User unknown")
        #expect(bare.reason == .filtered)
    }

    @Test func theRemoteServersCodeOutranksTheRelaysPrefix() {
        let text = "5.1.0 - Unknown address error 550-'5.7.1 <x@bounces.example.com>... Access denied' (delivery attempts: 0)"
        #expect(StatusCodeScanner.enhancedCodeAfterReplyCode(in: text) == EnhancedStatus("5.7.1"))
        #expect(StatusCodeScanner.enhancedCodeAfterReplyCode(in: "550 5.1.1 <a@b>") == EnhancedStatus("5.1.1"))
        #expect(StatusCodeScanner.enhancedCodeAfterReplyCode(in: "5.1.0 no reply code here") == nil)
        #expect(StatusCodeScanner.enhancedCodes(in: "550 5.0.0 x 550 5.1.1 y") == [EnhancedStatus("5.0.0"), EnhancedStatus("5.1.1")])
    }

    @Test func senderDomainRefusalIsRejectedNotHostUnknown() {
        let verdict = BounceClassifier.classify(status: EnhancedStatus("5.2.0"), replyCode: 550,
                                                diagnostic: "550 5.2.0 <s@example.com> From: Domain is invalid. Please provide a valid From:")
        #expect(verdict.reason == .rejected)
        #expect(!verdict.isHard)
    }

    @Test func domainThatMayNotExistIsHostUnknown() {
        let verdict = BounceClassifier.classify(status: nil, replyCode: nil,
                                                diagnostic: "The account or domain may not exist, they may be blacklisted, or missing the proper dns entries.")
        #expect(verdict.reason == .hostunknown)
        #expect(verdict.isHard)
    }
}
