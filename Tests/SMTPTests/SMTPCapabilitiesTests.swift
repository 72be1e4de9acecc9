import SMTP
import Testing

@Suite struct SMTPCapabilitiesTests {
    @Test func lowerCaseKeywordsAndOldAuthSyntax() {
        let reply = SMTPReply(code: 250, lines: ["mx.example.org hello", "pipelining", "size 10240000", "auth=LOGIN",
                                                 "Auth plain cram-md5", "8bitmime", "enhancedstatuscodes", "StartTLS", "dsn", "smtputf8"])
        let caps = SMTPCapabilities(ehloReply: reply)
        #expect(caps.pipelining && caps.startTLS && caps.eightBitMIME && caps.dsn && caps.smtpUTF8 && caps.enhancedStatusCodes)
        #expect(caps.maximumSize == 10_240_000)
        #expect(caps.authMechanisms == ["LOGIN", "PLAIN", "CRAM-MD5"])
    }

    @Test func sizeWithoutLimitOrZeroMeansNoLimit() {
        #expect(SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["x", "SIZE"])).maximumSize == nil)
        #expect(SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["x", "SIZE 0"])).maximumSize == nil)
        #expect(SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["x", "SIZE 0"])).size)
        #expect(!SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["x"])).pipelining)
    }
}
