import FacteurTesting
import NIOCore
import SMTP
import Testing

/// Against Postfix's smtp-sink: plain sessions, pipelining, faults at each stage.
@Suite(.enabled(if: SinkRequirement.runSmtpSinkTests, "smtp-sink is not installed (Debian postfix); CI fails instead"))
struct SMTPSinkTests {
    private func relay(_ sink: SinkProcess, _ adjust: (inout SMTPRelayConfiguration) -> Void = { _ in }) throws -> SMTPRelayConfiguration {
        var relay = try SMTPRelayConfiguration(url: sink.url, name: "relay-a")
        adjust(&relay)
        return relay
    }

    @Test func reusedPipelinedConnectionDeliversEveryMessageIntact() async throws {
        let sink = try await SinkProcess.start()
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink))
        #expect(connection.capabilities.pipelining)
        for n in 1...5 {
            let message = "Subject: message \(n)\nFrom: list@example.org\n\n.leading dot\nline \(n)\n..two dots\n"
            let outcome = try await connection.send(
                envelope: SMTPEnvelope(mailFrom: "list@example.org", recipients: ["a\(n)@example.net", "b\(n)@example.net"]),
                message: Array(message.utf8))
            #expect(outcome.isDelivered)
            #expect(outcome.recipients.map(\.status) == [.accepted, .accepted])
            #expect(outcome.dataReply?.code == 250)
        }
        #expect(connection.messagesSent == 5)
        #expect(connection.isUsable)
        await connection.quit()
        #expect(!connection.isUsable)
        let received = try await sink.waitForMessages(5)
        #expect(received.count == 5)
        let third = try #require(received.first { $0.rcptArgs == ["<a3@example.net>", "<b3@example.net>"] })
        #expect(third.mailFromArgs.hasPrefix("<list@example.org>"))
        #expect(third.body == "Subject: message 3\nFrom: list@example.org\n\n.leading dot\nline 3\n..two dots\n")
    }

    @Test func messageLimitClosesTheConnection() async throws {
        let sink = try await SinkProcess.start()
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink) { $0.messagesPerConnection = 2 })
        let envelope = SMTPEnvelope(mailFrom: "f@example.org", recipients: ["r@example.net"])
        for _ in 1...2 { #expect(try await connection.send(envelope: envelope, message: Array("x\n".utf8)).isDelivered) }
        #expect(!connection.isUsable)
        await #expect(throws: SMTPError.self) { try await connection.send(envelope: envelope, message: Array("x\n".utf8)) }
        #expect(try await sink.waitForMessages(2).count == 2)
    }

    @Test(arguments: [("-r", SMTPMessageOutcome.Status.transient), ("-f", .permanent)])
    func recipientFailuresAreReportedAndTheConnectionStaysUsable(flag: String, expected: SMTPMessageOutcome.Status) async throws {
        let sink = try await SinkProcess.start(flags: [flag, "RCPT"])
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink))
        let outcome = try await connection.send(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["a@x.net", "b@x.net"]),
                                                message: Array("x\n".utf8))
        #expect(!outcome.isDelivered)
        #expect(outcome.dataReply == nil)
        #expect(outcome.recipients.map(\.status) == [expected, expected])
        #expect(outcome.recipients[0].reply.code / 100 == (expected == .transient ? 4 : 5))
        // RSET went through: the session takes the next request.
        #expect(try await connection.noop().code == 250)
        #expect(try sink.messages().isEmpty)
    }

    @Test(arguments: ["MAIL", "DATA", "."])
    func permanentFailureAtEachStageIsNotDelivered(command: String) async throws {
        let sink = try await SinkProcess.start(flags: ["-f", command])
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink))
        let outcome = try await connection.send(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["a@x.net"]), message: Array("x\n".utf8))
        #expect(!outcome.isDelivered)
        #expect(outcome.recipients.map(\.status) == [.permanent])
        #expect(connection.isUsable)
        #expect(try await connection.noop().code == 250)
    }

    @Test func serviceClosing421MidTransactionIsTransientAndEndsTheConnection() async throws {
        let sink = try await SinkProcess.start(flags: ["-Q", "RCPT"])
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink))
        let outcome = try await connection.send(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["a@x.net"]), message: Array("x\n".utf8))
        #expect(outcome.recipients.map(\.status) == [.transient])
        #expect(outcome.recipients[0].reply.code == 421)
        #expect(!outcome.isDelivered)
        #expect(!connection.isUsable)
    }

    @Test func silentDisconnectAtDataThrowsAndNothingIsDelivered() async throws {
        let sink = try await SinkProcess.start(flags: ["-q", "."])
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink))
        do {
            let outcome = try await connection.send(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["a@x.net"]), message: Array("x\n".utf8))
            Issue.record("expected an error, got \(outcome)")
        } catch {
            #expect(error.kind == .connectionClosed(stage: .dataTermination))
            #expect(error.isTransient)
            #expect("\(error)".hasPrefix("relay-a (127.0.0.1:\(sink.port)): connection closed"))
        }
        #expect(!connection.isUsable)
    }

    @Test func greetingRejectedAndHeloFallback() async throws {
        let refusing = try await SinkProcess.start(flags: ["-f", "CONNECT"])
        defer { refusing.stop() }
        await #expect {
            _ = try await SMTPConnection.connect(to: try relay(refusing))
        } throws: { error in
            guard let error = error as? SMTPError, case .greetingRejected(let reply) = error.kind else { return false }
            return reply.code / 100 == 5
        }
        let old = try await SinkProcess.start(flags: ["-f", "EHLO"])
        defer { old.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(old))
        #expect(connection.capabilities == SMTPCapabilities())
        #expect(try await connection.send(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["a@x.net"]), message: Array("hi\n".utf8)).isDelivered)
        #expect(try await old.waitForMessages(1).count == 1)
    }

    @Test(arguments: [
        // -p: no PIPELINING, so each reply is awaited at its own stage.
        (["-p", "-w", "3"], SMTPStage.dataInitiation, "DATA reply"),
        (["-p", "-W", ".:3"], .dataTermination, "reply to end of DATA"),
        (["-p", "-W", "RCPT:3"], .rcptTo, "RCPT reply"),
    ])
    func replySlowerThanTheTimeoutFailsNamingTheStage(flags: [String], stage: SMTPStage, waitingFor: String) async throws {
        let sink = try await SinkProcess.start(flags: flags)
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink) {
            $0.timeouts.dataInitiation = 1
            $0.timeouts.dataTermination = 1
            $0.timeouts.rcptTo = 1
        })
        let start = ContinuousClock.now
        do {
            let outcome = try await connection.send(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["a@x.net"]), message: Array("x\n".utf8))
            Issue.record("expected a timeout, got \(outcome)")
        } catch {
            #expect(error.kind == .timeout(stage: stage, seconds: 1))
            #expect("\(error)" == "relay-a (127.0.0.1:\(sink.port)): timeout waiting for \(waitingFor) after 1 s")
        }
        #expect(ContinuousClock.now - start < .seconds(2.5))
        #expect(!connection.isUsable)
    }

    @Test func idleConnectionSaysQuitAfterTheIdleTimeout() async throws {
        let sink = try await SinkProcess.start()
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink) { $0.timeouts.idle = 0.5 })
        try await Task.sleep(for: .seconds(1.5))
        #expect(!connection.isUsable)
        await #expect(throws: SMTPError.self) { try await connection.noop() }
    }

    @Test func refusedConnectionNamesTheRelay() async throws {
        let port = try SinkPorts.free()
        let relay = try SMTPRelayConfiguration(url: "smtp://127.0.0.1:\(port)", name: "relay-b")
        await #expect {
            _ = try await SMTPConnection.connect(to: relay)
        } throws: { error in
            "\(error)".hasPrefix("relay-b (127.0.0.1:\(port)): cannot connect")
        }
    }
}
