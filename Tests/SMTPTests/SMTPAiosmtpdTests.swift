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
        let connection = try await SMTPConnection.connect(to: lab)
        #expect(try await send(connection).isDelivered)
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
            #expect("\(error)".hasPrefix("relay-auth (127.0.0.1:\(sink.port)): AUTH failed: 535"))
            #expect(!"\(error)".contains("wrong-horse"))
            #expect(!"\(error)".contains(user))
        }
        #expect(try sink.messages().count == 1)
    }

    @Test func eachRecipientGetsTheServersOwnReply() async throws {
        let sink = try await AiosmtpdSink.start()
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try SMTPRelayConfiguration(url: sink.url()))
        #expect(!connection.capabilities.pipelining)
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
            #expect("\(error)" == "relay-slow (127.0.0.1:\(sink.port)): timeout waiting for reply to end of DATA after 1 s")
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
}
