import Compose
import Foundation
import Logging
import NIOCore
import Relaying
import SMTP

/// One reused SMTP connection to a relay, sending one message at a time.
/// Reconnects when the relay closed the session; a failed connect fails only the message at hand.
actor RelayLane {
    private let relay: SMTPRelayConfiguration
    private let logger: Logger
    private var connection: SMTPConnection?

    init(relay: SMTPRelayConfiguration, logger: Logger) {
        self.relay = relay
        self.logger = logger
    }

    /// What one attempt gave: the signal for the pool and what it means for the subscriber.
    struct Attempt: Sendable {
        enum Verdict: Sendable {
            case delivered
            case permanent(reply: String)
            /// The recipient (or its domain) deferred it: try again later.
            case transient(reason: String)
            /// The relay could not take it (refused, 421, dropped before 250): another relay may.
            case relayTrouble(reason: String)
        }

        let signal: RelaySignal
        let verdict: Verdict
    }

    /// Sends one rendered message on this lane's connection, opening one when needed.
    func attempt(_ message: RenderedMessage) async -> Attempt {
        let started = ContinuousClock.now
        func elapsed() -> Double {
            let duration = ContinuousClock.now - started
            return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        do {
            let connection = try await usableConnection()
            let outcome = try await connection.send(
                envelope: SMTPEnvelope(mailFrom: message.envelopeSender, recipients: [message.recipient]),
                message: message.bytes)
            let latency = elapsed()
            if outcome.isDelivered {
                CrashPoint.reached(.afterData)
                return Attempt(signal: .delivered(latency: latency), verdict: .delivered)
            }
            let stage: SMTPStage
            let reply: SMTPReply
            if !outcome.mailReply.isSuccess {
                stage = .mailFrom
                reply = outcome.mailReply
            } else if let recipient = outcome.recipients.first, recipient.status != .accepted, outcome.dataReply == nil {
                stage = .rcptTo
                reply = recipient.reply
            } else {
                stage = .dataTermination
                reply = outcome.dataReply ?? outcome.recipients.first?.reply ?? outcome.mailReply
            }
            let text = reply.lines.enumerated().map { i, line in
                "\(reply.code)\(i == reply.lines.count - 1 ? " " : "-")\(line)"
            }.joined(separator: "\r\n")
            let signal = RelaySignalClassifier.signal(for: reply, at: stage, latency: latency)
            switch signal {
            case .rejected: return Attempt(signal: signal, verdict: .permanent(reply: text))
            case .throttled(_, atRecipient: false): return Attempt(signal: signal, verdict: .relayTrouble(reason: "\(relay.name) answered \(text)"))
            default: return Attempt(signal: signal, verdict: .transient(reason: "\(relay.name) answered \(text)"))
            }
        } catch {
            self.connection = nil
            let signal = RelaySignalClassifier.signal(for: error, latency: elapsed())
            switch signal {
            case .relayFailed, .throttled: return Attempt(signal: signal, verdict: .relayTrouble(reason: "\(error)"))
            default: return Attempt(signal: signal, verdict: .transient(reason: "\(error)"))
            }
        }
    }

    private func usableConnection() async throws(SMTPError) -> SMTPConnection {
        if let connection, connection.isUsable { return connection }
        if let old = connection { await old.quit() }
        connection = nil
        let fresh = try await SMTPConnection.connect(to: relay, logger: logger)
        connection = fresh
        return fresh
    }

    func close() async {
        if let connection { await connection.quit() }
        connection = nil
    }
}
