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

    @Test(arguments: [("-r", SMTPMessageOutcome.Status.transient), ("-f", .permanent)], ["MAIL", "DATA", "."])
    func failureAtEachStageIsReportedAndNotDelivered(flag: (String, SMTPMessageOutcome.Status), command: String) async throws {
        let (option, expected) = flag
        let sink = try await SinkProcess.start(flags: [option, command])
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink))
        let outcome = try await connection.send(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["a@x.net"]), message: Array("x\n".utf8))
        #expect(!outcome.isDelivered)
        #expect(outcome.recipients.map(\.status) == [expected])
        #expect(outcome.recipients[0].reply.code / 100 == (expected == .transient ? 4 : 5))
        // The reply is the server's own, enhanced status included.
        #expect(outcome.recipients[0].reply.enhancedStatus?.statusClass == outcome.recipients[0].reply.code / 100)
        #expect((outcome.dataReply != nil) == (command == "."))
        #expect(connection.isUsable)
        #expect(try await connection.noop().code == 250)
        // smtp-sink dumps the data before it answers "."; before the data nothing reached it.
        #expect(try sink.messages().count == (command == "." ? 1 : 0))
        await connection.quit()
    }

    @Test(arguments: ["MAIL", "RCPT", "DATA", "."])
    func serviceClosing421AtEachStageIsTransientAndEndsTheConnection(command: String) async throws {
        let sink = try await SinkProcess.start(flags: ["-Q", command])
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink))
        let outcome = try await connection.send(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["a@x.net"]), message: Array("x\n".utf8))
        #expect(outcome.recipients.map(\.status) == [.transient])
        #expect(outcome.recipients[0].reply.code == 421)
        #expect(!outcome.isDelivered)
        #expect(!connection.isUsable)
        // smtp-sink dumps the data before it answers "."; before the data nothing reached it.
        #expect(try sink.messages().count == (command == "." ? 1 : 0))
    }

    @Test func serviceClosing421AtTheGreetingNamesTheRelay() async throws {
        let sink = try await SinkProcess.start(flags: ["-Q", "CONNECT"])
        defer { sink.stop() }
        do {
            _ = try await SMTPConnection.connect(to: try relay(sink))
            Issue.record("connected to a server that said 421")
        } catch let error as SMTPError {
            guard case .serviceClosing(let reply, .greeting) = error.kind else { Issue.record("unexpected \(error)"); return }
            #expect(reply.code == 421)
            #expect(error.isTransient)
            #expect("\(error)".hasPrefix("relay-a: server closed the session at greeting: 421"))
        }
    }

    @Test(arguments: ["MAIL", "RCPT", "DATA", "."])
    func silentDisconnectAtEachStageThrowsAndNothingIsDelivered(command: String) async throws {
        let sink = try await SinkProcess.start(flags: ["-q", command])
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink))
        do {
            let outcome = try await connection.send(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["a@x.net"]), message: Array("x\n".utf8))
            Issue.record("expected an error, got \(outcome)")
        } catch {
            guard case .connectionClosed(let stage) = error.kind else { Issue.record("unexpected \(error)"); return }
            #expect(error.isTransient)
            #expect("\(error)".hasPrefix("relay-a: connection closed by the server while waiting for"))
            if command == "." { #expect(stage == .dataTermination) }
        }
        #expect(!connection.isUsable)
        // smtp-sink dumps the data before it answers "."; before the data nothing reached it.
        #expect(try sink.messages().count == (command == "." ? 1 : 0))
    }

    @Test func batchPipelinesEveryMessageBehindThePreviousDataAndKeepsTheOrder() async throws {
        let sink = try await SinkProcess.start()
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink))
        let batch = (1...40).map { n in
            SMTPOutgoingMessage(envelope: SMTPEnvelope(mailFrom: "list@example.org", recipients: ["r\(n)@example.net"]),
                                message: ByteBuffer(string: "Subject: \(n)\n\n.body \(n)\n"))
        }
        let results = await connection.send(batch)
        #expect(results.count == 40)
        let outcomes = try results.map { try $0.get() }
        #expect(outcomes.allSatisfy { $0.isDelivered })
        #expect(connection.messagesSent == 40)
        let received = try await sink.waitForMessages(40)
        #expect(received.count == 40)
        for n in 1...40 {
            let message = received.first { $0.rcptArgs == ["<r\(n)@example.net>"] }
            #expect(message?.body == "Subject: \(n)\n\n.body \(n)\n", "message \(n)")
        }
        #expect(connection.isUsable)
        await connection.quit()
    }

    @Test func batchStopsAtTheMessageLimit() async throws {
        let sink = try await SinkProcess.start()
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink) { $0.messagesPerConnection = 3 })
        let message = SMTPOutgoingMessage(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["a@x.net"]), message: ByteBuffer(string: "x\n"))
        let results = await connection.send(Array(repeating: message, count: 5))
        #expect(results.prefix(3).allSatisfy { (try? $0.get())?.isDelivered == true })
        for result in results.suffix(2) {
            guard case .failure(let error) = result else { Issue.record("sent past the limit"); continue }
            #expect(error.kind == .connectionNotUsable)
        }
        #expect(!connection.isUsable)
        #expect(try await sink.waitForMessages(3).count == 3)
    }

    @Test func serviceClosingAfterTheDataFailsTheMessagesQueuedBehindIt() async throws {
        let sink = try await SinkProcess.start(flags: ["-Q", "."])
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink))
        let message = SMTPOutgoingMessage(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["a@x.net"]), message: ByteBuffer(string: "x\n"))
        let results = await connection.send(Array(repeating: message, count: 3))
        let first = try results[0].get()
        #expect(!first.isDelivered)
        #expect(first.recipients[0].status == .transient)
        #expect(first.dataReply?.code == 421)
        for result in results.dropFirst() {
            guard case .failure(let error) = result else { Issue.record("delivered after a 421"); continue }
            #expect(error.isTransient)
        }
        #expect(!connection.isUsable)
        // Only the first message's data reached the sink (dumped before its 421).
        #expect(try sink.messages().count == 1)
    }

    @Test func dsnParametersAreSentWhenOffered() async throws {
        let sink = try await SinkProcess.start()
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink))
        #expect(connection.capabilities.dsn)
        let dsn = SMTPDSNOptions(ret: .headers, envelopeID: "c42 u7", notify: [.failure, .delay])
        let outcome = try await connection.send(envelope: SMTPEnvelope(mailFrom: "bounce@example.org", recipients: ["a@x.net"], dsn: dsn),
                                                message: Array("Subject: caf\u{e9}\n\nb\u{f6}dy\n".utf8))
        #expect(outcome.isDelivered)
        let received = try #require(try await sink.waitForMessages(1).first)
        #expect(received.mailFromArgs == "<bounce@example.org> BODY=8BITMIME RET=HDRS ENVID=c42+20u7")
        #expect(received.rcptArgs == ["<a@x.net> NOTIFY=FAILURE,DELAY"])
        #expect(received.body == "Subject: caf\u{e9}\n\nb\u{f6}dy\n")
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
            #expect("\(error)" == "relay-a: timeout waiting for \(waitingFor) after 1 s")
        }
        // Given up before the server's reply at 3 s (a loaded machine delays the 1 s timer a little).
        #expect(ContinuousClock.now - start < .seconds(3))
        #expect(!connection.isUsable)
    }

    @Test func idleConnectionSaysQuitAfterTheIdleTimeout() async throws {
        let sink = try await SinkProcess.start()
        defer { sink.stop() }
        let logs = CapturedLogs()
        let connection = try await SMTPConnection.connect(to: try relay(sink) { $0.timeouts.idle = 0.5 }, logger: logs.logger())
        try await Task.sleep(for: .seconds(1.5))
        #expect(!connection.isUsable)
        await #expect(throws: SMTPError.self) { try await connection.noop() }
        // The client said QUIT and the server answered it before the connection closed.
        let lines = logs.all.map(\.message)
        let quit = try #require(lines.firstIndex(of: "C: QUIT"))
        #expect(lines[(quit + 1)...].contains { $0.hasPrefix("S: 221") })
    }

    @Test func serverGoneWhileIdleMakesTheConnectionUnusable() async throws {
        let sink = try await SinkProcess.start()
        let connection = try await SMTPConnection.connect(to: try relay(sink))
        sink.stop()
        let start = ContinuousClock.now
        while connection.isUsable, ContinuousClock.now - start < .seconds(5) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!connection.isUsable)
        do {
            _ = try await connection.send(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["a@x.net"]), message: Array("x\n".utf8))
            Issue.record("sent on a closed connection")
        } catch {
            #expect(error.kind == .connectionNotUsable)
            #expect(error.isTransient)
        }
    }

    @Test func oneConnectionServesManyTasksAtOnce() async throws {
        let sink = try await SinkProcess.start()
        defer { sink.stop() }
        let connection = try await SMTPConnection.connect(to: try relay(sink))
        let delivered = try await withThrowingTaskGroup(of: Bool.self) { group in
            for n in 1...12 {
                group.addTask {
                    try await connection.send(envelope: SMTPEnvelope(mailFrom: "f@x.org", recipients: ["t\(n)@x.net"]),
                                              message: Array("Subject: \(n)\n\nx\n".utf8)).isDelivered
                }
            }
            group.addTask { try await connection.noop().code == 250 }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(delivered == 13)
        let received = try await sink.waitForMessages(12)
        #expect(Set(received.flatMap(\.rcptArgs)) == Set((1...12).map { "<t\($0)@x.net>" }))
        await connection.quit()
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
