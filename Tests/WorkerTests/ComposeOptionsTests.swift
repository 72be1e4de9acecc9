import Compose
import Crypto
import _CryptoExtras
import FacteurConfig
import FacteurTesting
import Foundation
import Testing
import Worker

/// The composition options an operator sets in facteur.yaml reach the mail the worker sends: VERP
/// envelope senders, DKIM signatures, the version header.
@Suite struct ComposeOptionsTests {
    @Test func verpDKIMAndVersionHeaderReachTheSink() async throws {
        let harness = try await WorkerHarness.start()
        var settings = try harness.settings()
        settings.verpSecret = "a-secret-of-sixteen-plus"
        settings.versionHeader = "Facteur 1.0"
        settings.dkim = DKIMSigner(domain: "example.org", selector: "test",
                                   key: .rsa(try _RSA.Signing.PrivateKey(keySize: .bits2048)))
        let report = try await harness.runner(settings).processQueue()
        #expect(report.campaigns.first?.sent == 1996)

        let messages = try await harness.sink.waitForMessages(1996, seconds: 10).filter { !$0.isSystemMail }
        #expect(messages.count == 1996)
        let verp = VERPAddress.Config(localPart: "bounces", domain: "example.org", secret: Array("a-secret-of-sixteen-plus".utf8))
        var subscribers = Set<Int>()
        for message in messages {
            let sender = String(message.mailFromArgs.drop { $0 != "<" }.dropFirst().prefix { $0 != ">" })
            let decoded = VERPAddress.verify(sender, verp)
            #expect(decoded?.campaignID == 2, "\(sender) is not a valid VERP sender")
            if let decoded { subscribers.insert(decoded.subscriberID) }
        }
        #expect(subscribers.count == 1996)
        #expect(messages.allSatisfy { $0.body.contains("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=test;") }, "\(messages.first?.body.prefix(900) ?? "")")
        #expect(messages.allSatisfy { $0.body.contains("\nX-phpList-version: Facteur 1.0\n") })
        await harness.stop()
    }

    @Test func verpWithoutASecretRefusesToStart() throws {
        var configuration = FacteurConfiguration()
        configuration.relays = [RelayConfiguration(name: "a", url: "smtp://127.0.0.1:2525")]
        configuration.compose.verp = true
        #expect {
            try WorkerSettings.from(configuration)
        } throws: { "\($0)".contains("bounces.verp_secret is empty") }
        configuration.bounces.verpSecret = "a-secret-of-sixteen-plus"
        #expect(try WorkerSettings.from(configuration).verpSecret == "a-secret-of-sixteen-plus")
    }

    @Test func unreadableDKIMKeyIsNamed() throws {
        var configuration = FacteurConfiguration()
        configuration.relays = [RelayConfiguration(name: "a", url: "smtp://127.0.0.1:2525")]
        configuration.compose.dkim.domain = "example.org"
        configuration.compose.dkim.selector = "s1"
        configuration.compose.dkim.keyFile = "/nonexistent/dkim.pem"
        #expect {
            try WorkerSettings.from(configuration)
        } throws: { "\($0)".contains("cannot read compose.dkim.key_file /nonexistent/dkim.pem") }
    }
}
