import NIOCore
@testable import SMTP
import Testing

/// SASL exchanges from byte fixtures: RFC 2195's CRAM-MD5 example and Google's XOAUTH2 example.
@Suite struct SMTPAuthStateMachineTests {
    private func settings(_ user: String, _ password: String, _ mechanism: SMTPAuthMechanism? = nil) -> SMTPClientStateMachine.Settings {
        .init(heloName: "c", startTLS: .off, username: user, password: password, authMechanism: mechanism)
    }

    @Test func cramMD5AnswersTheChallengeWithoutSendingThePassword() throws {
        var s = Session(settings("tim", "tanstaaftanstaaf"))
        _ = try s.server("220 postoffice.reston.mci.net\r\n")
        // Only CRAM-MD5 offered (lower case): chosen automatically.
        #expect(try s.server("250-postoffice\r\n250 auth cram-md5\r\n") == [.send(.auth(mechanism: "CRAM-MD5", initialResponse: nil))])
        let actions = try s.server("334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n")
        // base64("tim b913a602c7eda7a495b4e6e7334d3890"), the digest of RFC 2195 §2.
        #expect(actions == [.send(.authResponse("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"))])
        guard case .sessionReady = try s.server("235 2.7.0 Authentication successful\r\n").first else { Issue.record("not ready"); return }
    }

    @Test func cramMD5RefusedAndGarbledChallenge() throws {
        var refused = Session(settings("tim", "wrong", .cramMD5))
        _ = try refused.server("220 mx\r\n250-mx\r\n250 AUTH PLAIN CRAM-MD5\r\n334 PDE4OTY+\r\n")
        let failure = SMTPReply(code: 535, lines: ["5.7.8 Authentication credentials invalid"])
        #expect(try refused.server("535 5.7.8 Authentication credentials invalid\r\n") == [.sessionFailed(.authFailed(failure), quit: true)])

        var garbled = Session(settings("tim", "x", .cramMD5))
        _ = try garbled.server("220 mx\r\n250-mx\r\n250 AUTH CRAM-MD5\r\n")
        guard case .sessionFailed(.protocolError, quit: true) = try garbled.server("334 not*base64\r\n").first else {
            Issue.record("a garbled challenge was answered"); return
        }
    }

    @Test func xoauth2SendsTheBearerTokenAsInitialResponse() throws {
        var s = Session(settings("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg", .xoauth2))
        _ = try s.server("220 smtp.gmail.com\r\n")
        let expected = "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="
        #expect(try s.server("250-smtp.gmail.com\r\n250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER\r\n250 PIPELINING\r\n")
            == [.send(.auth(mechanism: "XOAUTH2", initialResponse: expected))])
        guard case .sessionReady = try s.server("235 2.7.0 Accepted\r\n").first else { Issue.record("not ready"); return }
    }

    @Test func xoauth2ErrorChallengeIsAcknowledgedThenFails() throws {
        var s = Session(settings("u@example.com", "expired", .xoauth2))
        _ = try s.server("220 mx\r\n250-mx\r\n250 AUTH XOAUTH2\r\n")
        // The server's JSON error comes as a 334; the client answers with an empty line.
        #expect(try s.server("334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIn0=\r\n") == [.send(.authResponse(""))])
        let failure = SMTPReply(code: 535, lines: ["5.7.8 Username and Password not accepted"])
        #expect(try s.server("535 5.7.8 Username and Password not accepted\r\n") == [.sessionFailed(.authFailed(failure), quit: true)])
        var buffer = ByteBuffer()
        SMTPCommand.authResponse("").write(into: &buffer)
        #expect(String(buffer: buffer) == "\r\n")
    }

    @Test func configuredMechanismMustBeOffered() throws {
        var s = Session(settings("u", "p", .xoauth2))
        let actions = try s.server("220 mx\r\n250-mx\r\n250 AUTH PLAIN LOGIN\r\n")
        #expect(actions.last == .sessionFailed(.authMechanismUnsupported(offered: ["LOGIN", "PLAIN"], wanted: .xoauth2), quit: true))
        let error = SMTPError(relay: "relay-a", endpoint: "127.0.0.1:2525", kind: .authMechanismUnsupported(offered: ["LOGIN", "PLAIN"], wanted: .xoauth2))
        #expect("\(error)" == "relay-a: AUTH XOAUTH2 configured but the server offers only LOGIN PLAIN")
    }

    @Test func automaticChoicePrefersPlainThenLoginThenCRAMMD5AndNeverXOAUTH2() throws {
        for (offered, expected) in [("CRAM-MD5 LOGIN PLAIN XOAUTH2", "PLAIN"), ("CRAM-MD5 LOGIN", "LOGIN"), ("XOAUTH2 CRAM-MD5", "CRAM-MD5")] {
            var s = Session(settings("u", "p"))
            guard case .send(.auth(let mechanism, _)) = try s.server("220 mx\r\n250-mx\r\n250 AUTH \(offered)\r\n").last else {
                Issue.record("no AUTH for \(offered)"); continue
            }
            #expect(mechanism == expected)
        }
        var onlyOAuth = Session(settings("u", "p"))
        #expect(try onlyOAuth.server("220 mx\r\n250-mx\r\n250 AUTH XOAUTH2\r\n").last
            == .sessionFailed(.authMechanismUnsupported(offered: ["XOAUTH2"], wanted: nil), quit: true))
    }

    @Test func mechanismFromTheRelayURL() throws {
        let relay = try SMTPRelayConfiguration(url: "smtp://me%40example.com:tok@127.0.0.1:2525?auth=cram-md5", name: "relay-a")
        #expect(relay.authMechanism == .cramMD5)
        #expect(relay.username == "me@example.com")
        #expect(SMTPClientStateMachine.Settings(relay).authMechanism == .cramMD5)
        #expect(relay.description == "relay-a (smtp://127.0.0.1:2525, starttls=opportunistic, auth=cram-md5)")
        #expect(throws: SMTPError.self) { try SMTPRelayConfiguration(url: "smtp://u:p@h?auth=digest-md5") }
    }

    @Test func secretsNeverAppearInCommandDescriptions() {
        let commands: [SMTPCommand] = [
            .auth(mechanism: "XOAUTH2", initialResponse: SMTPAuthMechanism.xoauth2Response(username: "u", token: "tok")),
            .authResponse(SMTPAuthMechanism.cramMD5Response(challenge: "PDE+", username: "u", password: "pw") ?? ""),
        ]
        #expect(commands.map(\.description) == ["AUTH XOAUTH2 ***", "***"])
    }
}
