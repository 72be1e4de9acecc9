import Logging
import NIOCore
import SMTP

/// The listener's thin I/O layer for one connection: feeds bytes to `SMTPServerStateMachine`,
/// writes its replies, and runs the message handler in a task; the final reply to DATA goes out
/// when that task has finished.
final class SMTPServerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var machine: SMTPServerStateMachine
    private let limiter: ClientLimiter
    private let deliver: @Sendable (InboundMessage) async throws -> Void
    private var logger: Logger
    private var clientAddress = ""
    private var admitted = false

    init(settings: SMTPServerStateMachine.Settings, limiter: ClientLimiter, logger: Logger,
         deliver: @escaping @Sendable (InboundMessage) async throws -> Void) {
        self.machine = SMTPServerStateMachine(settings: settings)
        self.limiter = limiter
        self.logger = logger
        self.deliver = deliver
    }

    func channelActive(context: ChannelHandlerContext) {
        clientAddress = context.remoteAddress?.ipAddress ?? "unknown"
        logger[metadataKey: "client"] = "\(clientAddress)"
        if let refusal = limiter.admit(clientAddress) {
            logger.warning("bounce listener: refusing \(clientAddress): \(refusal)")
            let reply = SMTPReply(code: 421, lines: ["4.7.0 Too many connections from your address, try later"])
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply.wireBytes))).whenComplete { [channel = context.channel] _ in
                channel.close(promise: nil)
            }
            return
        }
        admitted = true
        perform([machine.greeting()], context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if admitted { limiter.release(clientAddress) }
        admitted = false
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard admitted, !machine.isClosed else { return }
        perform(machine.receive(unwrapInboundIn(data).readableBytesView), context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            let reply = SMTPReply(code: 421, lines: ["4.4.2 Idle for too long, closing"])
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply.wireBytes))).whenComplete { [channel = context.channel] _ in
                channel.close(promise: nil)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("bounce listener connection error: \(error)")
        context.close(promise: nil)
    }

    private func perform(_ actions: [SMTPServerStateMachine.Action], context: ChannelHandlerContext) {
        var out = context.channel.allocator.buffer(capacity: 256)
        for action in actions {
            switch action {
            case .reply(let reply):
                out.writeBytes(reply.wireBytes)
            case .deliver(var message):
                message.clientAddress = clientAddress
                if out.readableBytes > 0 { context.writeAndFlush(wrapOutboundOut(out), promise: nil) }
                out.clear()
                // Read nothing more until the message is committed: a client cannot pile up
                // data in memory while the processor works.
                context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
                hand(message, context: context)
            case .close:
                let pending = out
                out.clear()
                context.writeAndFlush(wrapOutboundOut(pending)).whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
            }
        }
        if out.readableBytes > 0 { context.writeAndFlush(wrapOutboundOut(out), promise: nil) }
    }

    private func hand(_ message: InboundMessage, context: ChannelHandlerContext) {
        let deliver = self.deliver
        let logger = self.logger
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        Task {
            var failure: String?
            do {
                try await deliver(message)
            } catch {
                failure = "\(error)"
                logger.error("bounce listener: message from <\(message.mailFrom)> not stored, answered 451: \(error)")
            }
            let outcome = failure
            eventLoop.execute {
                let (handler, context) = bound.value
                guard context.channel.isActive else { return }
                handler.perform(handler.machine.deliveryFinished(error: outcome), context: context)
                context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
            }
        }
    }
}
