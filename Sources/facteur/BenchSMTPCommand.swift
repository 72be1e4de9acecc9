import ArgumentParser
import Logging
import NIOCore
import NIOPosix
import SMTP

#if canImport(Glibc)
import Glibc
#endif

/// `facteur bench smtp`: N messages of a given size over C reused connections, messages/s.
/// A benchmark, not a test: compare with Postfix's `smtp-source -d` (scripts/bench-smtp.sh).
struct BenchSMTPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smtp",
        abstract: "Send N messages of BYTES over C reused SMTP connections and print messages/s."
    )

    @Option(help: "Relay URL, e.g. smtp://127.0.0.1:2525 (a sink: every message is really sent).")
    var relay: String

    @Option(help: "Messages to send.")
    var messages: Int = 10_000

    @Option(help: "Concurrent connections, each reused for its share of the messages.")
    var connections: Int = 1

    @Option(help: "Approximate size of each message in bytes.")
    var size: Int = 2_000

    @Option(help: "Recipients per message.")
    var recipients: Int = 1

    @Option(help: "Event loop threads for all connections (0: one per core).")
    var threads: Int = 0

    @Option(help: "Messages handed to a connection at once (SMTPConnection.send(_:)); 1 awaits each message.")
    var batch: Int = 64

    func validate() throws {
        guard messages > 0, connections > 0, size > 0, recipients > 0, batch > 0 else {
            throw ValidationError("--messages, --connections, --size, --recipients and --batch must be positive")
        }
    }

    func run() async throws {
        let configuration = try SMTPRelayConfiguration(url: relay, name: "bench")
        let message = Self.message(size: size)
        let envelope = SMTPEnvelope(mailFrom: "bench@facteur.invalid",
                                    recipients: (1...recipients).map { "rcpt\($0)@example.net" })
        let logger = {
            var logger = Logger(label: "facteur.bench.smtp")
            logger.logLevel = .warning
            return logger
        }()
        let eventLoops: MultiThreadedEventLoopGroup = threads > 0
            ? MultiThreadedEventLoopGroup(numberOfThreads: threads) : .singleton
        let clock = ContinuousClock()
        let start = clock.now
        let batch = self.batch
        let perConnection = (0..<connections).map { messages / connections + ($0 < messages % connections ? 1 : 0) }
        let (delivered, failed) = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for share in perConnection where share > 0 {
                group.addTask {
                    try await Self.send(share, batch: batch, message: message, envelope: envelope, to: configuration,
                                        eventLoops: eventLoops, logger: logger)
                }
            }
            return try await group.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(delivered) / seconds
        print("facteur bench smtp: \(delivered) delivered, \(failed) failed, \(message.readableBytes) bytes each, "
              + "\(connections) connection(s), \(String(format3(seconds))) s, peak RSS \(Self.peakRSSKiB()) KiB")
        print("messages_per_second \(String(format3(rate)))")
        if threads > 0 { try await eventLoops.shutdownGracefully() }
        if failed > 0 { throw ExitCode(1) }
    }

    /// One connection's share, handed over `batch` messages at a time (one event-loop hop per
    /// batch); reconnects when the relay ends a session (message limit, 421).
    private static func send(_ count: Int, batch: Int, message: ByteBuffer, envelope: SMTPEnvelope,
                             to configuration: SMTPRelayConfiguration, eventLoops: any EventLoopGroup,
                             logger: Logger) async throws -> (Int, Int) {
        var delivered = 0
        var failed = 0
        var connection = try await SMTPConnection.connect(to: configuration, eventLoopGroup: eventLoops, logger: logger)
        var remaining = count
        let outgoing = SMTPOutgoingMessage(envelope: envelope, message: message)
        while remaining > 0 {
            if !connection.isUsable {
                connection = try await SMTPConnection.connect(to: configuration, eventLoopGroup: eventLoops, logger: logger)
            }
            let size = min(batch, remaining)
            remaining -= size
            for result in await connection.send(Array(repeating: outgoing, count: size)) {
                switch result {
                case .success(let outcome) where outcome.isDelivered: delivered += 1
                case .success: failed += 1
                case .failure(let error):
                    logger.error("\(error)")
                    failed += 1
                }
            }
        }
        await connection.quit()
        return (delivered, failed)
    }

    /// A plain-text message of about `size` bytes with LF line ends (the encoder converts them,
    /// as it does for every message Facteur composes).
    static func message(size: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString("From: Bench <bench@facteur.invalid>\nTo: <rcpt1@example.net>\nSubject: Facteur SMTP benchmark\n"
                           + "Message-ID: <bench@facteur.invalid>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n")
        let line = "The quick brown fox jumps over the lazy dog. Facteur measures the wire.\n"
        while buffer.readableBytes + line.utf8.count <= size { buffer.writeString(line) }
        if buffer.readableBytes < size { buffer.writeString(String(repeating: "x", count: max(0, size - buffer.readableBytes - 1)) + "\n") }
        return buffer
    }

    private static func peakRSSKiB() -> Int {
        #if canImport(Glibc)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss
        #else
        return 0
        #endif
    }
}

private func format3(_ value: Double) -> String {
    let scaled = (value * 1000).rounded() / 1000
    return "\(scaled)"
}
