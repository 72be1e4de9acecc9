import FacteurTesting
import NIOCore
import SMTP
import Testing

/// Against the scriptable aiosmtpd sink: TLS with a certificate the test creates, AUTH,
/// per-recipient replies, a server that drops the connection or is too slow.
@Suite(.enabled(if: SinkRequirement.runAiosmtpdTests, "python3-aiosmtpd/openssl not installed; CI fails instead"))
struct SMTPAiosmtpdTests {
    private let message = "From: list@example.org\r\nSubject: TLS test\r\n\r\n.dot line\r\nbody é\r\n"
    private let user = "facteur"
    private let password = "s3cret-pass"

    private func send(_ connection: SMTPConnection, to recipients: [String] = ["ok@example.net"]) async throws(SMTPError) -> SMTPMessageOutcome {
        try await connection.send(envelope: SMTPEnvelope(mailFrom: "list@example.org", recipients: recipients), message: ByteBuffer(string: message))
    }

    @Test func startTLSRequiredWithVerificationAgainstTheTestCA() async throws {
        let certificates = try SinkCertificates.create()
        defer { certificates.remove() }
        let sink = try await AiosmtpdSink.start(tls: .startTLS, certificates: certificates)
        defer { sink.stop() }
        var relay = try SMTPRelayConfiguration(url: sink.url() + "?starttls=required", name: "relay-tls")
        relay.tlsCAFile = certificates.caFile
        let connection = try await SMTPConnection.connect(to: relay)
        #expect(connection.isTLSActive)
        let outcome = try await send(connection)
        #expect(outcome.isDelivered)
        let received = try sink.messages()
        #expect(received.count == 1)
        #expect(received.first?.data == Array(message.utf8))
        #expect(received.first?.mailFrom.hasPrefix("list@example.org") == true)
        #expect(received.first?.mailFrom.contains("BODY=8BITMIME") == true)
        await connection.quit()
    }

    @Test func implicitTLSWithVerification() async throws {
        let certificates = try SinkCertificates.create()
        defer { certificates.remove() }
        let sink = try await AiosmtpdSink.start(tls: .implicit, certificates: certificates)
        defer { sink.stop() }
        var relay = try SMTPRelayConfiguration(url: sink.url(scheme: "smtps"), name: "relay-smtps")
        relay.tlsCAFile = certificates.caFile
        let connection = try await SMTPConnection.connect(to: relay)
        #expect(connection.isTLSActive)
        #expect(try await send(connection).isDelivered)
        #expect(try sink.messages().map(\.data) == [Array(message.utf8)])
    }

    @Test func unknownCertificateIsRefusedUnlessVerificationIsOff() async throws {
        let certificates = try SinkCertificates.create()
        defer { certificates.remove() }
        let sink = try await AiosmtpdSink.start(tls: .implicit, certificates: certificates)
        defer { sink.stop() }
        let relay = try SMTPRelayConfiguration(url: sink.url(scheme: "smtps"), name: "relay-smtps")
        await #expect {
            _ = try await SMTPConnection.connect(to: relay)
        } throws: { error in
            guard let error = error as? SMTPError, case .tlsFailed = error.kind else { return false }
            return "\(error)".hasPrefix("relay-smtps (127.0.0.1:\(sink.port)): TLS failed")
        }
        let lab = try SMTPRelayConfiguration(url: sink.url(scheme: "smtps") + "?tls_verify=false", name: "lab")
        let logs = CapturedLogs()
        let connection = try await SMTPConnection.connect(to: lab, logger: logs.logger(level: .info))
        #expect(try await send(connection).isDelivered)
        let warnings = logs.all.filter { $0.level == .warning }
        #expect(warnings.map(\.message) == ["lab: tls_verify is false: the relay's certificate is NOT checked (lab relays only)"])
    }

    @Test func startTLSRequiredButNotOfferedNamesTheRelay() async throws {
        let sink = try await AiosmtpdSink.start(tls: .none)
        defer { sink.stop() }
        let relay = try SMTPRelayConfiguration(url: sink.url() + "?starttls=required", name: "relay-a")
        await #expect {
            _ = try await SMTPConnection.connect(to: relay)
        } throws: { error in
            "\(error)" == "relay-a (127.0.0.1:\(sink.port)): STARTTLS required but not offered"
        }
    }

    @Test func authSucceedsWithTheRightPasswordAndFailsWith535() async throws {
        let certificates = try SinkCertificates.create()
        defer { certificates.remove() }
        let sink = try await AiosmtpdSink.start(tls: .startTLS, certificates: certificates, user: user, password: password)
        defer { sink.stop() }
        var relay = try SMTPRelayConfiguration(url: sink.url(userInfo: "\(user):\(password)") + "?starttls=required", name: "relay-auth")
        relay.tlsCAFile = certificates.caFile
        let connection = try await SMTPConnection.connect(to: relay)
        #expect(try await send(connection).isDelivered)
        await connection.quit()

        relay.password = "wrong-horse"
        do {
            _ = try await SMTPConnection.connect(to: relay)
            Issue.record("AUTH with a wrong password succeeded")
        } catch {
            guard case .authFailed(let reply) = error.kind else { Issue.record("unexpected \(error)"); return }
            #expect(reply.code == 535)
            #expect("\(error)" == "relay-auth: AUTH failed: 535 5.7.8 Authentication credentials invalid")
            #expect(!"\(error)".contains("wrong-horse"))
            #expect(!"\(error)".contains(user))
        }
        #expect(try sink.messages().count == 1)
        #expect(try sink.authAttempts() == ["PLAIN ok", "PLAIN fail"])
    }

    @Test(arguments: [false, true])
    func eachRecipientGetsTheServersOwnReply(pipelining: Bool) async throws {
        let sink = try await AiosmtpdSink.start(pipelining: pipelining)
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try SMTPRelayConfiguration(url: sink.url()))
        #expect(connection.capabilities.pipelining == pipelining)
        let outcome = try await send(connection, to: ["tempfail1@example.net", "ok@example.net", "reject1@example.net"])
        #expect(outcome.isDelivered)
        #expect(outcome.recipients.map(\.status) == [.transient, .accepted, .permanent])
        #expect(outcome.recipients[0].reply == SMTPReply(code: 451, lines: ["4.7.1 Try again later"]))
        #expect(outcome.recipients[2].reply == SMTPReply(code: 550, lines: ["5.1.1 No such user"]))
        #expect(outcome.recipients[1].reply.code == 250)
        let received = try sink.messages()
        #expect(received.map(\.recipients) == [["ok@example.net"]])
        // Everyone refused: no DATA, RSET, and the connection carries on.
        let refused = try await send(connection, to: ["reject2@example.net"])
        #expect(!refused.isDelivered)
        #expect(try await send(connection).isDelivered)
        #expect(try sink.messages().count == 2)
    }

    @Test func dataRefusedAfterTheBodyIsNotDelivered() async throws {
        let sink = try await AiosmtpdSink.start()
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try SMTPRelayConfiguration(url: sink.url()))
        let outcome = try await send(connection, to: ["faildata@example.net"])
        #expect(!outcome.isDelivered)
        #expect(outcome.dataReply?.code == 554)
        #expect(outcome.recipients.map(\.status) == [.permanent])
        #expect(connection.isUsable)
    }

    @Test func serverDroppingTheConnectionMidDataIsAnErrorNotADelivery() async throws {
        let sink = try await AiosmtpdSink.start()
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try SMTPRelayConfiguration(url: sink.url(), name: "relay-a"))
        do {
            let outcome = try await send(connection, to: ["dropdata@example.net"])
            Issue.record("expected an error, got \(outcome)")
        } catch {
            #expect(error.kind == .connectionClosed(stage: .dataTermination))
        }
        #expect(!connection.isUsable)
        #expect(try sink.messages().isEmpty)
    }

    @Test func serverSlowerThanTheTimeout() async throws {
        let sink = try await AiosmtpdSink.start(slowSeconds: 4)
        defer { sink.stop() }
        var relay = try SMTPRelayConfiguration(url: sink.url(), name: "relay-slow")
        relay.timeouts.dataTermination = 1
        let connection = try await SMTPConnection.connect(to: relay)
        do {
            _ = try await send(connection, to: ["slowdata@example.net"])
            Issue.record("expected a timeout")
        } catch {
            #expect("\(error)" == "relay-slow: timeout waiting for reply to end of DATA after 1 s")
        }
        #expect(!connection.isUsable)
    }

    @Test func overlongLineIsRefusedBeforeAnythingIsSent() async throws {
        let sink = try await AiosmtpdSink.start()
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try SMTPRelayConfiguration(url: sink.url(), name: "relay-a"))
        let long = "Subject: x\n\n" + String(repeating: "a", count: 1200) + "\n"
        do {
            _ = try await connection.send(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["ok@x.net"]), message: Array(long.utf8))
            Issue.record("a 1200-octet line was sent")
        } catch {
            #expect(error.kind == .lineTooLong(line: 3, length: 1200))
            #expect("\(error)".contains("line 3 is 1200 octets"))
        }
        #expect(connection.isUsable)
        #expect(try await send(connection).isDelivered)
        #expect(try sink.messages().count == 1)
    }

    @Test func tlsAuthAndPipeliningTogetherSendABatch() async throws {
        let certificates = try SinkCertificates.create()
        defer { certificates.remove() }
        let sink = try await AiosmtpdSink.start(tls: .startTLS, certificates: certificates, user: user, password: password, pipelining: true)
        defer { sink.stop() }
        var relay = try SMTPRelayConfiguration(url: sink.url(userInfo: "\(user):\(password)") + "?starttls=required", name: "relay-tls")
        relay.tlsCAFile = certificates.caFile
        let connection = try await SMTPConnection.connect(to: relay)
        #expect(connection.isTLSActive)
        #expect(connection.capabilities.pipelining)
        let batch = (1...6).map { n in
            SMTPOutgoingMessage(envelope: SMTPEnvelope(mailFrom: "list@example.org", recipients: ["ok\(n)@example.net", "reject\(n)@example.net"]),
                                message: ByteBuffer(string: "Subject: \(n)\r\n\r\n.line \(n)\r\n"))
        }
        let outcomes = try await connection.send(batch).map { try $0.get() }
        #expect(outcomes.allSatisfy { $0.isDelivered })
        #expect(outcomes.allSatisfy { $0.recipients.map(\.status) == [.accepted, .permanent] })
        #expect(outcomes[0].recipients[1].reply == SMTPReply(code: 550, lines: ["5.1.1 No such user"]))
        let received = try sink.messages()
        #expect(received.map(\.recipients) == (1...6).map { ["ok\($0)@example.net"] })
        #expect(received.map { String(decoding: $0.data, as: UTF8.self) } == (1...6).map { "Subject: \($0)\r\n\r\n.line \($0)\r\n" })
        #expect(try sink.authAttempts() == ["PLAIN ok"])
        await connection.quit()
    }

    @Test(arguments: [(SMTPAuthMechanism.plain, "PLAIN"), (.cramMD5, "CRAM-MD5"), (.login, "LOGIN"), (.xoauth2, "XOAUTH2")])
    func configuredMechanismSucceedsAndAWrongSecretGets535(mechanism: SMTPAuthMechanism, name: String) async throws {
        let certificates = try SinkCertificates.create()
        defer { certificates.remove() }
        let sink = try await AiosmtpdSink.start(tls: .implicit, certificates: certificates, user: user, password: password)
        defer { sink.stop() }
        var relay = try SMTPRelayConfiguration(
            url: sink.url(scheme: "smtps", userInfo: "\(user):\(password)") + "?auth=\(name.lowercased())", name: "relay-a")
        relay.tlsCAFile = certificates.caFile
        let logs = CapturedLogs()
        let connection = try await SMTPConnection.connect(to: relay, logger: logs.logger())
        #expect(try await send(connection).isDelivered)
        await connection.quit()
        relay.password = "wrong-horse"
        do {
            _ = try await SMTPConnection.connect(to: relay, logger: logs.logger())
            Issue.record("AUTH \(name) with a wrong secret succeeded")
        } catch {
            #expect("\(error)" == "relay-a: AUTH failed: 535 5.7.8 Authentication credentials invalid")
        }
        #expect(try sink.authAttempts() == ["\(name) ok", "\(name) fail"])
        #expect(try sink.messages().count == 1)
        // Trace logs show the session, never a secret in clear or in base64.
        #expect(logs.text.contains("AUTH \(name)"))
        for secret in [password, "wrong-horse"] {
            #expect(!logs.text.contains(secret))
            for encoded in Self.base64Fragments(of: secret) { #expect(!logs.text.contains(encoded)) }
        }
    }

    @Test func cramMD5IsChosenWhenItIsTheOnlyMechanismOffered() async throws {
        let certificates = try SinkCertificates.create()
        defer { certificates.remove() }
        let sink = try await AiosmtpdSink.start(tls: .startTLS, certificates: certificates, user: user, password: password, mechanisms: ["CRAM-MD5"])
        defer { sink.stop() }
        var relay = try SMTPRelayConfiguration(url: sink.url(userInfo: "\(user):\(password)"), name: "relay-a")
        relay.tlsCAFile = certificates.caFile
        let connection = try await SMTPConnection.connect(to: relay)
        #expect(connection.capabilities.authMechanisms == ["CRAM-MD5"])
        #expect(try await send(connection).isDelivered)
        #expect(try sink.authAttempts() == ["CRAM-MD5 ok"])
    }

    @Test func sizeAnd8BitMIMEAndSMTPUTF8AreUsedWhenOffered() async throws {
        let sink = try await AiosmtpdSink.start()
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try SMTPRelayConfiguration(url: sink.url()))
        #expect(connection.capabilities.smtpUTF8 && connection.capabilities.eightBitMIME && connection.capabilities.size)
        let outcome = try await connection.send(envelope: SMTPEnvelope(mailFrom: "liste@exemple.fr", recipients: ["josé@exemple.fr"]),
                                                message: Array("Subject: é\r\n\r\nbody\r\n".utf8))
        #expect(outcome.isDelivered)
        let received = try #require(try sink.messages().first)
        // "Subject: é\r\n\r\nbody\r\n" is 21 octets on the wire.
        #expect(received.mailFrom == "liste@exemple.fr SIZE=21 BODY=8BITMIME SMTPUTF8")
        #expect(received.recipients == ["josé@exemple.fr"])
    }

    @Test func serverDroppingMidDataFailsEveryMessageQueuedBehind() async throws {
        let sink = try await AiosmtpdSink.start(pipelining: true)
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try SMTPRelayConfiguration(url: sink.url(), name: "relay-a"))
        let batch = ["ok1@example.net", "dropdata@example.net", "ok2@example.net"].map {
            SMTPOutgoingMessage(envelope: SMTPEnvelope(mailFrom: "list@example.org", recipients: [$0]), message: ByteBuffer(string: message))
        }
        let results = await connection.send(batch)
        #expect((try? results[0].get())?.isDelivered == true)
        for result in results.dropFirst() {
            guard case .failure(let error) = result else { Issue.record("delivered after the server dropped"); continue }
            #expect(error.isTransient)
        }
        #expect(!connection.isUsable)
        #expect(try sink.messages().map(\.recipients) == [["ok1@example.net"]])
    }

    /// The three base64 alignments of `secret`, minus the edge characters that depend on neighbours.
    private static func base64Fragments(of secret: String) -> [String] {
        (0..<3).map { shift in
            let padded = Array(repeating: UInt8(ascii: "x"), count: shift) + Array(secret.utf8)
            let encoded = Array(base64(padded).utf8)
            let skip = (shift * 4 + 2) / 3 + 1
            return String(decoding: encoded.dropFirst(skip).dropLast(4), as: UTF8.self)
        }
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i + 2 < bytes.count {
            let n = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2])
            out += [alphabet[n >> 18], alphabet[(n >> 12) & 63], alphabet[(n >> 6) & 63], alphabet[n & 63]]
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
