import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One TCP (optionally TLS) connection to a mail server, read as a stream of byte chunks.
/// Owned by one mailbox actor; its async methods run on that actor (`nonisolated(nonsending)`),
/// so the transport never crosses an isolation boundary.
final class MailTransport {
    private let channel: Channel
    private var iterator: AsyncThrowingStream<ByteBuffer, Error>.AsyncIterator
    private let endpoint: MailboxEndpoint
    private let tlsContext: NIOSSLContext?
    private(set) var isTLS: Bool

    private init(channel: Channel, stream: AsyncThrowingStream<ByteBuffer, Error>, endpoint: MailboxEndpoint,
                 tlsContext: NIOSSLContext?) {
        self.channel = channel
        self.iterator = stream.makeAsyncIterator()
        self.endpoint = endpoint
        self.tlsContext = tlsContext
        self.isTLS = endpoint.implicitTLS
    }

    static func connect(to endpoint: MailboxEndpoint,
                        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                        logger: Logger) async throws(MailboxError) -> MailTransport {
        let tlsContext = try makeTLSContext(endpoint, logger: logger)
        let (stream, continuation) = AsyncThrowingStream<ByteBuffer, Error>.makeStream()
        let serverHostname = hostnameForSNI(endpoint.host)
        let timeout = TimeAmount.nanoseconds(Int64(endpoint.timeout * 1_000_000_000))
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if endpoint.implicitTLS, let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: timeout))
                    try channel.pipeline.syncOperations.addHandler(ByteStreamHandler(continuation: continuation))
                }
            }
        do {
            let channel = try await bootstrap.connect(host: endpoint.host, port: endpoint.port).get()
            return MailTransport(channel: channel, stream: stream, endpoint: endpoint, tlsContext: tlsContext)
        } catch {
            continuation.finish()
            throw MailboxError(mailbox: endpoint.key, .connectFailed("\(error)"))
        }
    }

    /// The next chunk the server sent; throws when the connection ends or times out.
    nonisolated(nonsending) func read() async throws(MailboxError) -> ByteBuffer {
        do {
            guard let buffer = try await iterator.next(isolation: #isolation) else {
                throw MailboxError(mailbox: endpoint.key, .connectionClosed)
            }
            return buffer
        } catch let error as MailboxError {
            throw error
        } catch ByteStreamHandler.Failure.readTimeout {
            throw MailboxError(mailbox: endpoint.key, .timeout(seconds: endpoint.timeout))
        } catch {
            throw MailboxError(mailbox: endpoint.key, Self.isTLSError(error) ? .tlsFailed("\(error)") : .protocolError("\(error)"))
        }
    }

    nonisolated(nonsending) func write(_ bytes: [UInt8]) async throws(MailboxError) {
        do {
            try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).get()
        } catch {
            throw MailboxError(mailbox: endpoint.key, .connectionClosed)
        }
    }

    /// Puts TLS under the session after the server agreed to STARTTLS/STLS. The caller has made
    /// sure no byte arrived after that answer (they would have been sent in clear, RFC 3207 §4.2).
    nonisolated(nonsending) func startTLS() async throws(MailboxError) {
        guard let tlsContext else { throw MailboxError(mailbox: endpoint.key, .tlsFailed("TLS is switched off for this mailbox")) }
        let serverHostname = Self.hostnameForSNI(endpoint.host)
        do {
            try await channel.eventLoop.submit { [channel] in
                let handler = try NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
        } catch {
            throw MailboxError(mailbox: endpoint.key, .tlsFailed("\(error)"))
        }
        isTLS = true
    }

    nonisolated(nonsending) func close() async {
        try? await channel.close().get()
    }

    private static func hostnameForSNI(_ host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    private static func isTLSError(_ error: Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }

    private static func makeTLSContext(_ endpoint: MailboxEndpoint, logger: Logger) throws(MailboxError) -> NIOSSLContext? {
        guard endpoint.implicitTLS || endpoint.startTLS != .off else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if !endpoint.tlsVerify {
            logger.warning("bounce mailbox \(endpoint.key): tls_verify is false: the server's certificate is NOT checked")
            tls.certificateVerification = .none
        }
        if let file = endpoint.tlsCAFile {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file))
            } catch {
                throw MailboxError(mailbox: endpoint.key, .tlsFailed("cannot read tls_ca_file \(file): \(error)"))
            }
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw MailboxError(mailbox: endpoint.key, .tlsFailed("cannot set up TLS: \(error)"))
        }
    }
}
