import Logging
import Synchronization

/// Feeds the inbound SMTP listener (`bounces.listen`) into `BounceProcessor`: each message is stored
/// with the envelope headers a delivery agent would add, processed with its RCPT TO as the VERP
/// candidate, and the sender gets 250 only once the bounce is committed (451 when the database
/// failed, so the sending MTA retries). The listener takes no lock: a message is one transaction.
public final class ListenerIntake: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var server: SMTPServerStateMachine.Settings
        public var limits: BounceListener.Limits

        public init(host: String, port: Int, server: SMTPServerStateMachine.Settings, limits: BounceListener.Limits = .init()) {
            self.host = host
            self.port = port
            self.server = server
            self.limits = limits
        }
    }

    public let configuration: Configuration
    let processor: BounceProcessor
    let logger: Logger
    /// Bounces committed through the listener; the service runs the rules pass when it grows.
    let committed = Atomic<Int>(0)
    private let sequence = Atomic<Int>(0)

    public init(configuration: Configuration, processor: BounceProcessor, logger: Logger) {
        self.configuration = configuration
        self.processor = processor
        self.logger = logger
    }

    public var committedCount: Int { committed.load(ordering: .relaxed) }

    /// Binds and starts accepting; stop the returned listener to end.
    public func start() async throws -> BounceListener {
        try await BounceListener.start(host: configuration.host, port: configuration.port, settings: configuration.server,
                                       limits: configuration.limits, logger: logger) { [self] message in
            try await self.receive(message)
        }
    }

    func receive(_ message: InboundMessage) async throws {
        let number = sequence.add(1, ordering: .relaxed).newValue
        let stored = message.storedBytes(receivedBy: configuration.server.hostname)
        let source = "smtp://\(configuration.host):\(configuration.port) from [\(message.clientAddress)] #\(number)"
        var metadata: Logger.Metadata = [
            "source": "\(source)", "size": "\(message.data.count)", "mail_from": "<\(message.mailFrom)>",
            "rcpt_to": "\(message.recipients.joined(separator: ","))",
        ]
        if message.data.isEmpty || message.data.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) {
            logger.notice("empty message received by the bounce listener: stored as an unidentified bounce", metadata: metadata)
        }
        do {
            let outcome = try await processor.process(stored, source: source, envelopeRecipient: message.recipients.first)
            committed.add(1, ordering: .relaxed)
            metadata["status"] = "\(outcome.status)"
            metadata["disposition"] = "\(outcome.disposition.rawValue)"
            metadata["reason"] = "\(outcome.reason.rawValue)"
            logger.info("bounce received by the listener and committed", metadata: metadata)
        } catch {
            metadata["error"] = "\(error)"
            logger.error("bounce listener could not commit a bounce; answered 451 so the sender retries", metadata: metadata)
            throw error
        }
    }
}
