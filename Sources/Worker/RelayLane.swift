import Compose
import Foundation
import Logging
import NIOCore
import SMTP

/// One reused SMTP connection to the relay, sending its share of a batch one message after the other.
/// Reconnects when the relay closed the session; a failed connect fails only this lane's messages.
actor RelayLane {
    private let relay: SMTPRelayConfiguration
    private let dkim: DKIMSigner?
    private let logger: Logger
    private var connection: SMTPConnection?

    init(relay: SMTPRelayConfiguration, dkim: DKIMSigner? = nil, logger: Logger) {
        self.relay = relay
        self.dkim = dkim
        self.logger = logger
    }

    /// Renders and sends `jobs`; checks `stop` before handing each message over, so a suspended campaign
    /// gets no further message beyond the one already in DATA.
    func deliver(_ jobs: [DeliveryJob], campaign: CompiledCampaign, tracking: LinkTrackIDs,
                 stop: StopFlag) async -> [DeliveryResult] {
        var results: [DeliveryResult] = []
        results.reserveCapacity(jobs.count)
        for job in jobs {
            let id = job.subscriber.id
            let email = job.subscriber.email
            if let reason = stop.reason {
                results.append(DeliveryResult(subscriberID: id, email: email, outcome: .transient(reason: reason)))
                continue
            }
            var message: RenderedMessage
            do {
                message = try campaign.render(for: job.subscriber, tracking: tracking)
                if let dkim { message.bytes = try dkim.sign(message.bytes) }
            } catch {
                results.append(DeliveryResult(subscriberID: id, email: email,
                                              outcome: .transient(reason: "cannot compose: \(error)")))
                continue
            }
            results.append(DeliveryResult(subscriberID: id, email: email, outcome: await send(message)))
        }
        return results
    }

    private func send(_ message: RenderedMessage) async -> DeliveryOutcome {
        do {
            let connection = try await usableConnection()
            let outcome = try await connection.send(
                envelope: SMTPEnvelope(mailFrom: message.envelopeSender, recipients: [message.recipient]),
                message: message.bytes)
            if outcome.isDelivered {
                CrashPoint.reached(.afterData)
                return .delivered(message.formatCounter, trackedLinkURLs: message.trackedLinkURLs)
            }
            let reply = outcome.recipients.first?.reply ?? outcome.dataReply ?? outcome.mailReply
            let text = reply.lines.enumerated().map { i, line in
                "\(reply.code)\(i == reply.lines.count - 1 ? " " : "-")\(line)"
            }.joined(separator: "\r\n")
            if outcome.recipients.first?.status == .permanent { return .permanent(reply: text) }
            return .transient(reason: "\(relay.name) answered \(text)")
        } catch {
            self.connection = nil
            return .transient(reason: "\(error)")
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
