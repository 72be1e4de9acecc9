/// RFC 5965 Abuse Reporting Format: a multipart/report with a message/feedback-report part.
enum FeedbackReportParser {
    static func isFeedback(_ message: BounceMessage) -> Bool {
        if message.contentType.parameters["report-type"]?.lowercased() == "feedback-report" { return true }
        return message.allEntities.contains { $0.contentType.mediaType == "message/feedback-report" }
    }

    /// One address per complained-about recipient: Original-Rcpt-To fields, else Removal-Recipient,
    /// else the returned message's To.
    static func recipients(_ message: BounceMessage, original: MessageHeaders?) -> [String] {
        var addresses: [String] = []
        if let report = message.allEntities.first(where: { $0.contentType.mediaType == "message/feedback-report" }) {
            let fields = HeaderSectionParser.parseFields(report.body[...])
            for field in fields where ["original-rcpt-to", "removal-recipient"].contains(field.name.lowercased()) {
                if let address = AddressExtractor.firstAddress(in: field.value) { addresses.append(address) }
            }
        }
        if addresses.isEmpty, let original {
            addresses = original.values("To").flatMap { AddressExtractor.addresses(in: $0) }
        }
        return addresses
    }
}
