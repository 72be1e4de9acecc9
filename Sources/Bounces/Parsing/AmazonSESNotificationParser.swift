import Foundation
import SMTP

/// Amazon SES bounce/complaint/delivery notifications delivered by SNS e-mail: a JSON document
/// ("notificationType": "Bounce" | "Complaint" | "Delivery") as the message body.
enum AmazonSESNotificationParser {
    struct Result {
        var kind: ParsedBounce.Kind
        var recipients: [BouncedRecipient]
        var originalHeaders: MessageHeaders
        var originalMessageID: String?
    }

    static func parse(_ text: String) -> Result? {
        guard text.contains("notificationType"), let open = text.firstIndex(of: "{") else { return nil }
        // SNS e-mail appends an unsubscribe footer after the JSON; decode up to the last '}'.
        guard let close = text.lastIndex(of: "}"), open < close else { return nil }
        var json = String(text[open...close])
        json = json.replacingOccurrences(of: "\n ", with: "").replacingOccurrences(of: "\r\n ", with: "")
        guard let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        let root = (object["Message"] as? String).flatMap { inner in
            inner.data(using: .utf8).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        } ?? object
        guard let type = (root["notificationType"] ?? root["eventType"]) as? String else { return nil }
        let mail = root["mail"] as? [String: Any] ?? [:]
        var headerFields: [HeaderField] = []
        for header in mail["headers"] as? [[String: Any]] ?? [] {
            if let name = header["name"] as? String, let value = header["value"] as? String {
                headerFields.append(HeaderField(name: name, rawValue: value))
            }
        }
        let originalHeaders = MessageHeaders(headerFields)
        let messageID = originalHeaders["Message-ID"]
        switch type.lowercased() {
        case "complaint":
            let complaint = root["complaint"] as? [String: Any] ?? [:]
            let addresses = (complaint["complainedRecipients"] as? [[String: Any]] ?? []).compactMap { $0["emailAddress"] as? String }
            let recipients = addresses.map { BouncedRecipient(address: $0, diagnostic: "", action: .unknown, reason: .feedback) }
            return Result(kind: .feedback, recipients: recipients, originalHeaders: originalHeaders, originalMessageID: messageID)
        case "delivery":
            let delivery = root["delivery"] as? [String: Any] ?? [:]
            let addresses = delivery["recipients"] as? [String] ?? []
            let response = delivery["smtpResponse"] as? String ?? ""
            let recipients = addresses.map {
                BouncedRecipient(address: $0, status: EnhancedStatus.first(in: response) ?? EnhancedStatus("2.6.0"),
                                 replyCode: StatusCodeScanner.firstReplyCode(in: response) ?? 250, diagnostic: response,
                                 action: .delivered, reason: .delivered)
            }
            return Result(kind: .dsn, recipients: recipients, originalHeaders: originalHeaders, originalMessageID: messageID)
        case "bounce":
            let bounce = root["bounce"] as? [String: Any] ?? [:]
            let bounceType = (bounce["bounceType"] as? String ?? "").lowercased()
            let subType = (bounce["bounceSubType"] as? String ?? "").lowercased()
            var recipients: [BouncedRecipient] = []
            for entry in bounce["bouncedRecipients"] as? [[String: Any]] ?? [] {
                guard let address = entry["emailAddress"] as? String else { continue }
                let diagnostic = entry["diagnosticCode"] as? String ?? ""
                let status = (entry["status"] as? String).flatMap { EnhancedStatus($0) } ?? EnhancedStatus.first(in: diagnostic)
                var recipient = BouncedRecipient(address: address, status: status,
                                                 replyCode: StatusCodeScanner.firstReplyCode(in: diagnostic),
                                                 diagnostic: diagnostic, action: .failed)
                // SES names suppression-list bounces itself (bounceSubType "Suppressed"/"OnAccountSuppressionList").
                let context = subType.contains("suppress") ? "suppression list" : "\(bounceType) \(subType)"
                let verdict = BounceClassifier.classify(status: status, replyCode: recipient.replyCode,
                                                        diagnostic: diagnostic, context: context)
                recipient.reason = subType.contains("suppress") ? .suppressed : verdict.reason
                recipient.isHard = BounceClassifier.isHard(reason: recipient.reason, status: status, replyCode: recipient.replyCode)
                recipients.append(recipient)
            }
            return Result(kind: .dsn, recipients: recipients, originalHeaders: originalHeaders, originalMessageID: messageID)
        default:
            return nil
        }
    }
}
