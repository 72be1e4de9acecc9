import SMTP
import Testing

/// The error texts an operator reads, as the issue words them.
@Suite struct SMTPErrorTests {
    private func error(_ kind: SMTPError.Kind) -> String {
        "\(SMTPError(relay: "relay-a", endpoint: "127.0.0.1:2525", kind: kind))"
    }

    @Test func textsNameTheRelayAndTheAddressWhereItHelps() {
        #expect(error(.startTLSRequiredButNotOffered) == "relay-a (127.0.0.1:2525): STARTTLS required but not offered")
        #expect(error(.authFailed(SMTPReply(code: 535, lines: ["5.7.8 Authentication credentials invalid"])))
            == "relay-a: AUTH failed: 535 5.7.8 Authentication credentials invalid")
        #expect(error(.timeout(stage: .dataInitiation, seconds: 300)) == "relay-a: timeout waiting for DATA reply after 300 s")
        #expect(error(.timeout(stage: .dataTermination, seconds: 600)) == "relay-a: timeout waiting for reply to end of DATA after 600 s")
        #expect(error(.connectFailed("connection refused")) == "relay-a (127.0.0.1:2525): cannot connect: connection refused")
        // A relay named after its address is not printed twice.
        #expect("\(SMTPError(relay: "127.0.0.1:2525", endpoint: "127.0.0.1:2525", kind: .tlsFailed("x")))" == "127.0.0.1:2525: TLS failed: x")
    }

    @Test func credentialsNeverAppearInConfigurationTextOrErrors() throws {
        let relay = try SMTPRelayConfiguration(url: "smtp://mailer:s3cr%40t@127.0.0.1:2525?starttls=required", name: "relay-a")
        #expect(relay.password == "s3cr@t")
        #expect(!relay.description.contains("s3cr"))
        #expect(!relay.description.contains("mailer"))
        do {
            _ = try SMTPRelayConfiguration(url: "smtp://mailer:s3cr%40t@127.0.0.1:2525?starttls=sometimes", name: "relay-a")
            Issue.record("a bad starttls value was accepted")
        } catch {
            #expect("\(error)".contains("starttls must be required, opportunistic or off"))
            #expect(!"\(error)".contains("s3cr"))
            #expect(!"\(error)".contains("mailer"))
        }
    }
}
