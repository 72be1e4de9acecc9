import Logging
import NIOCore
import NIOSSL

/// The thin I/O layer: feeds server bytes to `SMTPReplyParser` and the state machine, performs
/// the actions it returns, and keeps one timer for the stage being waited on. Requests arrive as
/// outbound writes of `SMTPClientHandler.Request` from `SMTPConnection`.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Request
    typealias OutboundOut = ByteBuffer

    enum Request: Sendable {
        case send(SMTPEnvelope, SMTPMessageEncoder.Encoded, EventLoopPromise<SMTPMessageOutcome>)
        case noop(EventLoopPromise<SMTPReply>)
        case quit(EventLoopPromise<Void>)

        func fail(_ error: SMTPError) {
            switch self {
            case .send(_, _, let promise): promise.fail(error)
            case .noop(let promise): promise.fail(error)
            case .quit(let promise): promise.succeed()
            }
        }
    }

    private let configuration: SMTPRelayConfiguration
    private let tlsContext: NIOSSLContext?
    private let serverHostname: String?
    private let logger: Logger
    private let status: SMTPConnectionStatus
    private var stateMachine: SMTPClientStateMachine
    private var parser = SMTPReplyParser()
    private var sessionPromise: EventLoopPromise<SMTPCapabilities>?
    /// Requests whose commands are out, oldest first: at most a NOOP, or a message and (PIPELINING)
    /// the next one queued behind its data. Their replies arrive in this order.
    private var inFlight = CircularBuffer<Request>(initialCapacity: 2)
    private var pending = CircularBuffer<Request>()
    private var quitPromises: [EventLoopPromise<Void>] = []

    // One scheduled task serves every stage: moving the deadline later costs nothing, and the task
    // re-arms itself when it fires early (a reply can come every few microseconds).
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?
    private var timerFireTime: NIODeadline?
    private var writeBuffer: ByteBuffer

    init(configuration: SMTPRelayConfiguration, tlsContext: NIOSSLContext?, serverHostname: String?, logger: Logger,
         status: SMTPConnectionStatus, sessionPromise: EventLoopPromise<SMTPCapabilities>) {
        self.configuration = configuration
        self.tlsContext = tlsContext
        self.serverHostname = serverHostname
        self.logger = logger
        self.status = status
        self.sessionPromise = sessionPromise
        self.stateMachine = SMTPClientStateMachine(settings: .init(configuration))
        self.writeBuffer = ByteBufferAllocator().buffer(capacity: 512)
    }

    // MARK: - Channel events

    func channelActive(context: ChannelHandlerContext) {
        armTimer(context: context)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armTimer(context: context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        parser.append(unwrapInboundIn(data))
        do {
            while let reply = try parser.next() {
                if logger.logLevel <= .trace { logger.trace("S: \(reply)") }
                perform(stateMachine.replyReceived(reply), context: context)
                if stateMachine.stage == nil { break }
            }
        } catch {
            fail(.protocolError("\(error)"), context: context)
            return
        }
        startNextRequestIfReady(context: context)
        armTimer(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let stage = stateMachine.stage {
            perform(stateMachine.connectionFailed(.connectionClosed(stage: stage)), context: context)
        }
        finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let stage = stateMachine.stage else { return }
        if stage == .quit || stage == .idle, error as? NIOSSLError == .uncleanShutdown { return }
        let kind: SMTPError.Kind
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            kind = .tlsFailed("\(error)")
        } else if let error = error as? IOError {
            kind = stage == .connect ? .connectFailed("\(error)") : .protocolError("\(error)")
        } else {
            kind = .protocolError("\(error)")
        }
        fail(kind, context: context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        promise?.succeed()
        if case .quit(let quitPromise) = request {
            // After the connection went away `finish()` has already run: nobody would complete it later.
            guard context.channel.isActive else {
                quitPromise.succeed()
                return
            }
            quitPromises.append(quitPromise)
            // QUIT follows the requests in flight (and a RSET being answered).
            startNextRequestIfReady(context: context)
            armTimer(context: context)
            return
        }
        guard stateMachine.isUsable else {
            request.fail(SMTPError(configuration, .connectionNotUsable))
            return
        }
        pending.append(request)
        startNextRequestIfReady(context: context)
        armTimer(context: context)
    }

    // MARK: - Actions

    private func startNextRequestIfReady(context: ChannelHandlerContext) {
        while true {
            if !quitPromises.isEmpty {
                // QUIT follows what is in flight; requests still pending fail when the channel closes.
                if inFlight.isEmpty, stateMachine.isReady || stateMachine.stage == nil {
                    perform(stateMachine.quitRequested(), context: context)
                }
                return
            }
            guard let request = pending.first else { return }
            switch request {
            case .send(let envelope, let encoded, let promise):
                guard stateMachine.acceptsMessage else { return }
                pending.removeFirst()
                let action = stateMachine.sendRequested(envelope: envelope, encoded: encoded)
                if case .messageFailed(let kind, close: false) = action {
                    // Refused before a byte was sent (SIZE, SMTPUTF8, no recipients).
                    promise.fail(SMTPError(configuration, kind))
                    continue
                }
                inFlight.append(request)
                perform(action, context: context)
            case .noop:
                guard inFlight.isEmpty, stateMachine.isReady else { return }
                pending.removeFirst()
                inFlight.append(request)
                perform(stateMachine.noopRequested(), context: context)
            case .quit:
                preconditionFailure("QUIT is never queued")
            }
        }
    }

    private func perform(_ action: SMTPClientStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .send(let command):
            write(command, context: context)
            context.flush()
        case .sendPipelined(let commands):
            write(commands, context: context)
            context.flush()
        case .sendBody(let body):
            let promise = context.eventLoop.makePromise(of: Void.self)
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess {
                // The data block is out: now the (longer) wait for the reply to "." starts.
                let (handler, context) = bound.value
                handler.bodyWritten = true
                handler.armTimer(context: context)
            }
            bodyWritten = false
            context.write(wrapOutboundOut(body), promise: promise)
            // The next message's MAIL/RCPT/DATA may leave in the same segment (RFC 2920 §3.1).
            startNextRequestIfReady(context: context)
            context.flush()
        case .startTLS:
            startTLS(context: context)
        case .sessionReady(let capabilities):
            let tls = stateMachine.isTLSActive
            logger.debug("SMTP session ready", metadata: ["tls": "\(tls)", "pipelining": "\(capabilities.pipelining)"])
            status.update { $0.tls = tls; $0.capabilities = capabilities }
            if !tls, configuration.hasCredentials {
                logger.warning("\(configuration.name): authenticated without TLS (starttls=\(configuration.startTLS.rawValue))")
            }
            sessionPromise?.succeed(capabilities)
            sessionPromise = nil
        case .sessionFailed(let kind, let quit):
            markUnusable()
            sessionPromise?.fail(SMTPError(configuration, kind))
            sessionPromise = nil
            if quit, context.channel.isActive {
                write(.quit, context: context)
                context.flush()
            }
            close(context: context)
        case .messageCompleted(let outcome, let followUp):
            let sent = stateMachine.messagesSent
            // Status first: the caller may look at `isUsable` as soon as the promise completes.
            let usable = followUp != .quit && followUp != .close
            status.update { $0.messagesSent = sent; if !usable { $0.usable = false } }
            if case .send(_, _, let promise)? = inFlight.popFirst() { promise.succeed(outcome) }
            switch followUp {
            case .none: break
            case .rset: write(.rset, context: context); context.flush()
            case .quit:
                logger.debug("message limit reached, QUIT", metadata: ["messages": "\(sent)"])
                markUnusable()
                write(.quit, context: context); context.flush()
            case .close:
                // 421: a message queued behind this one will get no reply.
                let reply = outcome.dataReply ?? outcome.mailReply
                while let queued = inFlight.popFirst() { queued.fail(SMTPError(configuration, .serviceClosing(reply, stage: .mailFrom))) }
                close(context: context)
            }
        case .messageFailed(let kind, let close):
            if close { markUnusable() }
            // The connection failed: every message in flight shares its fate.
            while let request = inFlight.popFirst() { request.fail(SMTPError(configuration, kind)) }
            if close { self.close(context: context) }
        case .noopCompleted(let reply, let close):
            if close { markUnusable() }
            if case .noop(let promise)? = inFlight.popFirst() { promise.succeed(reply) }
            if close { self.close(context: context) }
        case .close:
            close(context: context)
        }
    }

    private var bodyWritten = false

    private func write(_ command: SMTPCommand, context: ChannelHandlerContext) {
        write(CollectionOfOne(command), context: context)
    }

    /// All commands in one buffer, so a pipelined group leaves in one segment.
    private func write(_ commands: some Collection<SMTPCommand>, context: ChannelHandlerContext) {
        // `clear()` reuses the storage once the previous write has released it.
        writeBuffer.clear()
        for command in commands {
            if logger.logLevel <= .trace { logger.trace("C: \(command)") }
            command.write(into: &writeBuffer)
        }
        context.write(wrapOutboundOut(writeBuffer), promise: nil)
    }

    private func startTLS(context: ChannelHandlerContext) {
        // Bytes after the 220 were sent before TLS and could be an attacker's (CVE-2011-0411 style).
        guard !parser.hasBufferedBytes else { return fail(.dataBeforeTLS, context: context) }
        guard let tlsContext else { return fail(.tlsFailed("no TLS context"), context: context) }
        do {
            let tls = try NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname)
            try context.pipeline.syncOperations.addHandler(tls, position: .first)
        } catch {
            return fail(.tlsFailed("\(error)"), context: context)
        }
        perform(stateMachine.tlsEstablished(), context: context)
    }

    private func fail(_ kind: SMTPError.Kind, context: ChannelHandlerContext) {
        perform(stateMachine.connectionFailed(kind), context: context)
        close(context: context)
    }

    private func close(context: ChannelHandlerContext) {
        markUnusable()
        if context.channel.isActive { context.close(promise: nil) }
    }

    private func markUnusable() {
        status.update { $0.usable = false }
    }

    /// Everything still waiting fails: the connection is gone.
    private func finish() {
        markUnusable()
        timer?.cancel()
        timer = nil
        deadline = nil
        let error = SMTPError(configuration, .connectionNotUsable)
        sessionPromise?.fail(SMTPError(configuration, .connectionClosed(stage: .greeting)))
        sessionPromise = nil
        while let request = inFlight.popFirst() { request.fail(error) }
        while let request = pending.popFirst() { request.fail(error) }
        for promise in quitPromises { promise.succeed() }
        quitPromises.removeAll()
    }

    // MARK: - Timer

    private func timeout(for stage: SMTPStage) -> Double {
        if stage == .dataTermination && !bodyWritten { return configuration.timeouts.dataBlock }
        return configuration.timeouts.seconds(for: stage)
    }

    private func armTimer(context: ChannelHandlerContext) {
        guard let stage = stateMachine.stage else {
            deadline = nil
            return
        }
        let newDeadline = NIODeadline.now() + .nanoseconds(Int64(timeout(for: stage) * 1_000_000_000))
        deadline = newDeadline
        if let fire = timerFireTime, fire <= newDeadline, timer != nil { return }
        timer?.cancel()
        schedule(at: newDeadline, context: context)
    }

    private func schedule(at time: NIODeadline, context: ChannelHandlerContext) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timerFireTime = time
        timer = context.eventLoop.scheduleTask(deadline: time) {
            let (handler, context) = bound.value
            handler.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        timer = nil
        timerFireTime = nil
        guard let deadline, let stage = stateMachine.stage else { return }
        if deadline > .now() {
            schedule(at: deadline, context: context)
            return
        }
        self.deadline = nil
        if stage == .idle {
            logger.debug("idle for \(configuration.timeouts.idle) s, QUIT")
            markUnusable()
            perform(stateMachine.quitRequested(), context: context)
            armTimer(context: context)
            return
        }
        let seconds = timeout(for: stage)
        let reported: SMTPStage = stage == .dataTermination && !bodyWritten ? .dataBlock : stage
        logger.warning("\(SMTPError(configuration, .timeout(stage: reported, seconds: seconds)))")
        fail(.timeout(stage: reported, seconds: seconds), context: context)
    }
}
