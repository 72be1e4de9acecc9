import Compose
import Foundation
import Logging
import PHPList
import SMTP

/// Sends PHPList's admin mails (campaign started/finished, the queue report) through the relay, as
/// PHPList's sendMail does: one message per address of a comma-separated list, From the config's
/// `message_from_name` / `message_from_address`, MAIL FROM the message envelope. A failure is logged and
/// written to the event log, never thrown: an admin notice must not stop a campaign.
struct SystemMailer: Sendable {
    let database: PHPListDatabase
    let settings: WorkerSettings
    let logger: Logger

    /// The addresses of a PHPList list setting ("a@x, b@y"), blanks dropped.
    static func recipients(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Returns how many of the mails the relay accepted.
    @discardableResult
    func send(to list: String, subject: String, body: String) async -> Int {
        let addresses = Self.recipients(list)
        guard !addresses.isEmpty else { return 0 }
        let config: [String: String]
        do {
            config = try await database.configValues()
        } catch {
            logger.warning("cannot read PHPList's config for a system mail", metadata: ["error": "\(error)"])
            return 0
        }
        let admin = config["admin_address"] ?? ""
        let fromAddress = config["message_from_address"].flatMap { $0.isEmpty ? nil : $0 } ?? admin
        var accepted = 0
        var connection: SMTPConnection?
        for address in addresses {
            let message = SystemMessage(
                recipient: address, subject: subject, body: body, fromAddress: fromAddress,
                fromName: config["message_from_name"] ?? "", domain: config["domain"] ?? "",
                unsubscribeURL: config["unsubscribeurl"] ?? "", envelopeSender: settings.envelopeSender ?? admin
            ).render()
            do {
                if connection == nil || connection?.isUsable == false {
                    connection = try await SMTPConnection.connect(to: settings.relay, logger: logger)
                }
                let outcome = try await connection!.send(
                    envelope: SMTPEnvelope(mailFrom: message.envelopeSender, recipients: [message.recipient]),
                    message: message.bytes)
                if outcome.isDelivered {
                    accepted += 1
                } else {
                    let reply = outcome.recipients.first?.reply ?? outcome.dataReply ?? outcome.mailReply
                    await report(subject: subject, to: address, reason: "\(reply.code) \(reply.lines.joined(separator: " "))")
                }
            } catch {
                connection = nil
                await report(subject: subject, to: address, reason: "\(error)")
            }
        }
        if let connection { await connection.quit() }
        return accepted
    }

    private func report(subject: String, to address: String, reason: String) async {
        logger.warning("system mail not sent", metadata: ["subject": "\(subject)", "to": "\(address)", "reason": "\(reason)"])
        try? await database.logEvents(["Error sending system mail \"\(subject)\" to \(address): \(reason)"])
    }
}
