import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One SMTP session to one relay, reused for many messages. Safe to share between tasks:
/// requests are queued and run one after the other on the connection's event loop.
public final class SMTPConnection: Sendable {
    public let configuration: SMTPRelayConfiguration
    private let channel: Channel
    private let status: SMTPConnectionStatus

    private init(configuration: SMTPRelayConfiguration, channel: Channel, status: SMTPConnectionStatus) {
        self.configuration = configuration
        self.channel = channel
        self.status = status
    }

    /// Connects, reads the greeting, says EHLO, upgrades to TLS and authenticates as configured.
    /// Throws `SMTPError` naming the relay.
    public static func connect(
        to configuration: SMTPRelayConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "facteur.smtp")
    ) async throws(SMTPError) -> SMTPConnection {
        var logger = logger
        logger[metadataKey: "relay"] = "\(configuration.name)"
        let tlsContext = try makeTLSContext(configuration, logger: logger)
        let serverHostname = (try? SocketAddress(ipAddress: configuration.host, port: 0)) == nil ? configuration.host : nil
        let eventLoop = eventLoopGroup.next()
        let sessionPromise = eventLoop.makePromise(of: SMTPCapabilities.self)
        let status = SMTPConnectionStatus()
        let handlerLogger = logger
        let bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.nanoseconds(Int64(configuration.timeouts.connect * 1_000_000_000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if configuration.implicitTLS, let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(SMTPClientHandler(
                        configuration: configuration, tlsContext: tlsContext, serverHostname: serverHostname,
                        logger: handlerLogger, status: status, sessionPromise: sessionPromise))
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch {
            sessionPromise.fail(error)
            throw SMTPError(configuration, .connectFailed(describe(error)))
        }
        do {
            _ = try await sessionPromise.futureResult.get()
        } catch let error as SMTPError {
            try? await channel.close().get()
            throw error
        } catch {
            try? await channel.close().get()
            throw SMTPError(configuration, .protocolError("\(error)"))
        }
        return SMTPConnection(configuration: configuration, channel: channel, status: status)
    }

    /// Sends one message: `message` is RFC 5322 text with CRLF or LF line ends, not dot-stuffed.
    /// Returns each recipient's fate with the server's replies; throws only when no reply decided
    /// the message (connection lost, timeout, line too long, refused before sending).
    public func send(envelope: SMTPEnvelope, message: ByteBuffer) async throws(SMTPError) -> SMTPMessageOutcome {
        let encoded: SMTPMessageEncoder.Encoded
        do {
            encoded = try SMTPMessageEncoder.encode(message, allocator: channel.allocator)
        } catch {
            throw lineTooLong(error)
        }
        return try await send(envelope: envelope, encoded: encoded)
    }

    public func send(envelope: SMTPEnvelope, message: [UInt8]) async throws(SMTPError) -> SMTPMessageOutcome {
        let encoded: SMTPMessageEncoder.Encoded
        do {
            encoded = try SMTPMessageEncoder.encode(message, allocator: channel.allocator)
        } catch {
            throw lineTooLong(error)
        }
        return try await send(envelope: envelope, encoded: encoded)
    }

    /// Sends several messages in order on this connection and returns each one's result, in the
    /// same order. With PIPELINING, each message's MAIL/RCPT/DATA leave with the previous message's
    /// data, and the whole batch costs one hop to the event loop and one back: the fast path for
    /// many messages. A message refused before sending (line too long, SIZE, SMTPUTF8) fails
    /// alone; a lost connection fails it and every message after it.
    public func send(_ messages: [SMTPOutgoingMessage]) async -> [Result<SMTPMessageOutcome, SMTPError>] {
        var results = [Result<SMTPMessageOutcome, SMTPError>?](repeating: nil, count: messages.count)
        var requests: [SMTPClientHandler.Request] = []
        var futures: [EventLoopFuture<SMTPMessageOutcome>] = []
        var indices: [Int] = []
        requests.reserveCapacity(messages.count)
        futures.reserveCapacity(messages.count)
        indices.reserveCapacity(messages.count)
        let eventLoop = channel.eventLoop
        for (index, message) in messages.enumerated() {
            do {
                let encoded = try SMTPMessageEncoder.encode(message.message, allocator: channel.allocator)
                let promise = eventLoop.makePromise(of: SMTPMessageOutcome.self)
                requests.append(.send(message.envelope, encoded, promise))
                futures.append(promise.futureResult)
                indices.append(index)
            } catch {
                results[index] = .failure(lineTooLong(error))
            }
        }
        let channel = self.channel
        let configuration = self.configuration
        let queued = requests
        eventLoop.execute {
            // While the channel is active the handler takes every request (and fails those it cannot
            // run); once it closed, the handler is gone and a write would fail unseen.
            guard channel.isActive else {
                for request in queued { request.fail(SMTPError(configuration, .connectionNotUsable)) }
                return
            }
            for request in queued { channel.write(request, promise: nil) }
        }
        let completed = try? await EventLoopFuture.whenAllComplete(futures, on: eventLoop).get()
        for (position, index) in indices.enumerated() {
            switch completed?[position] {
            case .success(let outcome)?: results[index] = .success(outcome)
            case .failure(let error as SMTPError)?: results[index] = .failure(error)
            case .failure(let error)?: results[index] = .failure(SMTPError(configuration, .protocolError("\(error)")))
            case nil: results[index] = .failure(SMTPError(configuration, .connectionNotUsable))
            }
        }
        return results.map { $0! }
    }

    private func send(envelope: SMTPEnvelope, encoded: SMTPMessageEncoder.Encoded) async throws(SMTPError) -> SMTPMessageOutcome {
        let promise = channel.eventLoop.makePromise(of: SMTPMessageOutcome.self)
        return try await request(.send(envelope, encoded, promise), promise.futureResult)
    }

    /// Keeps an idle connection alive and checks it: returns the server's reply.
    @discardableResult
    public func noop() async throws(SMTPError) -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        return try await request(.noop(promise), promise.futureResult)
    }

    /// Says QUIT after any request in flight and closes. Never throws: the session is over either way.
    public func quit() async {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(SMTPClientHandler.Request.quit(promise)).whenFailure { _ in promise.succeed() }
        try? await promise.futureResult.get()
        try? await channel.closeFuture.get()
    }

    /// False once the server closed, a request failed the session, or `messages_per_connection` was reached.
    public var isUsable: Bool { status.value.usable && channel.isActive }
    public var messagesSent: Int { status.value.messagesSent }
    public var capabilities: SMTPCapabilities { status.value.capabilities }
    public var isTLSActive: Bool { status.value.tls }

    private func request<T: Sendable>(_ request: SMTPClientHandler.Request, _ future: EventLoopFuture<T>) async throws(SMTPError) -> T {
        channel.writeAndFlush(request).whenFailure { [configuration] _ in
            request.fail(SMTPError(configuration, .connectionNotUsable))
        }
        do {
            return try await future.get()
        } catch let error as SMTPError {
            throw error
        } catch {
            throw SMTPError(configuration, .protocolError("\(error)"))
        }
    }

    private func lineTooLong(_ error: SMTPMessageEncoder.Error) -> SMTPError {
        switch error {
        case .lineTooLong(let line, let length): SMTPError(configuration, .lineTooLong(line: line, length: length))
        }
    }

    private static func makeTLSContext(_ configuration: SMTPRelayConfiguration, logger: Logger) throws(SMTPError) -> NIOSSLContext? {
        guard configuration.implicitTLS || configuration.startTLS != .off else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if !configuration.tlsVerify {
            logger.warning("\(configuration.name): tls_verify is false: the relay's certificate is NOT checked (lab relays only)")
            tls.certificateVerification = .none
        }
        if let file = configuration.tlsCAFile {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file))
            } catch {
                throw SMTPError(configuration, .invalidConfiguration("cannot read tls_ca_file \(file): \(error)"))
            }
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw SMTPError(configuration, .invalidConfiguration("cannot set up TLS: \(error)"))
        }
    }

    private static func describe(_ error: Error) -> String {
        if let error = error as? ChannelError, case .connectTimeout(let amount) = error {
            return "connect timed out after \(amount.nanoseconds / 1_000_000_000) s"
        }
        return "\(error)"
    }
}
