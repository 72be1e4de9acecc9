import SMTP
import Testing

@Suite struct SMTPRelayConfigurationTests {
    @Test func parsesURLsWithDefaults() throws {
        let plain = try SMTPRelayConfiguration(url: "smtp://127.0.0.1:2525")
        #expect(plain.name == "127.0.0.1:2525")
        #expect(!plain.implicitTLS && plain.startTLS == .opportunistic && plain.tlsVerify)
        let tls = try SMTPRelayConfiguration(url: "smtps://us%40er:p%3Ass@mail.example.org", name: "relay-a")
        #expect(tls.port == 465 && tls.implicitTLS && tls.name == "relay-a")
        #expect(tls.username == "us@er" && tls.password == "p:ss")
        let options = try SMTPRelayConfiguration(url: "smtp://[::1]:587?starttls=required&tls_verify=false&messages_per_connection=50")
        #expect(options.host == "::1" && options.port == 587 && options.startTLS == .required && !options.tlsVerify)
        #expect(options.messagesPerConnection == 50)
        #expect(options.endpoint == "[::1]:587")
    }

    @Test func badURLsSayWhatIsWrongWithoutTheSecret() {
        #expect(throws: SMTPError.self) { try SMTPRelayConfiguration(url: "http://x") }
        do {
            _ = try SMTPRelayConfiguration(url: "smtp://u:hunter2@host:99999", name: "relay-a")
            Issue.record("accepted a bad port")
        } catch {
            #expect(error.description.contains("relay-a"))
            #expect(error.description.contains("bad port"))
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test func descriptionNeverShowsCredentials() throws {
        let relay = try SMTPRelayConfiguration(url: "smtp://bob:hunter2@127.0.0.1:2525", name: "relay-a")
        #expect(!"\(relay)".contains("hunter2"))
        #expect(!"\(relay)".contains("bob"))
        #expect("\(relay)".contains("relay-a"))
    }
}
