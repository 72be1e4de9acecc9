import Logging
import NIOCore
import NIOPosix

/// The inbound SMTP listener for bounces (`bounces.listen`): receives mail for the configured
/// `bounces.domains` only, never relays, refuses messages over `bounces.max_size` with 552, and
/// limits each client address. Each message goes to `handler`; the client gets `250` only after
/// the handler returned (the bounce is committed), `451` when it threw (the sender retries).
public final class BounceListener: Sendable {
    public struct Limits: Sendable {
        /// Connections one client address may hold at once.
        public var connectionsPerClient = 10
        /// Connections one client address may open per minute.
        public var connectionsPerMinute = 120
        /// Seconds a client may stay silent before the session is closed with 421.
        public var idleTimeout: Double = 300

        public init() {}
    }

    public let host: String
    /// The bound port (useful when started on port 0).
    public let port: Int
    private let channel: Channel

    private init(host: String, port: Int, channel: Channel) {
        self.host = host
        self.port = port
        self.channel = channel
    }

    /// Binds `host:port` (use a 127.0.0.x address behind a front MX, or port 0 for any free port)
    /// and starts accepting.
    public static func start(host: String, port: Int, settings: SMTPServerStateMachine.Settings,
                             limits: Limits = Limits(),
                             eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                             logger: Logger = Logger(label: "facteur.bounces.listener"),
                             handler: @escaping @Sendable (InboundMessage) async throws -> Void) async throws -> BounceListener {
        let limiter = ClientLimiter(maxConcurrent: limits.connectionsPerClient, maxPerMinute: limits.connectionsPerMinute)
        let idle = TimeAmount.nanoseconds(Int64(limits.idleTimeout * 1_000_000_000))
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
                    try channel.pipeline.syncOperations.addHandler(
                        SMTPServerHandler(settings: settings, limiter: limiter, logger: logger, deliver: handler))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        let bound = channel.localAddress?.port ?? port
        logger.info("bounce listener on \(host):\(bound) for \(settings.domains.sorted().joined(separator: ", "))")
        return BounceListener(host: host, port: bound, channel: channel)
    }

    /// Splits `bounces.listen` (`host:port`, `[v6]:port`, or `:port` for 127.0.0.1) into its parts.
    public static func address(_ listen: String) -> (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }

    /// Stops accepting; sessions in progress finish on their own.
    public func stop() async {
        try? await channel.close().get()
    }
}
