import SMTP

/// Entry point: bytes of one message in, what it reports out. Pure and total: any input, including
/// empty or binary data, yields a result (`.undefined` when nothing can be understood).
public enum BounceParser {
    public static func parse(_ bytes: [UInt8]) -> ParsedBounce {
        guard bytes.contains(where: { $0 > 0x20 }) else { return ParsedBounce(kind: .undefined) }
        return parse(message: BounceMessage(bytes: bytes), depth: 0)
    }

    /// A relay that bounces a bounce attaches the first DSN as its returned message; read that one.
    static let maximumForwardedDepth = 3

    static func parse(message: BounceMessage, depth: Int) -> ParsedBounce {
        let headers = message.headers
        var result = ParsedBounce(kind: .undefined, headers: headers, subject: headers["Subject"], date: headers["Date"])

        let fullText = ReportText.of(message)
        let (report, quotedOriginal) = OriginalMessageLocator.split(text: fullText)
        let original = OriginalMessageLocator.attachedHeaders(in: message) ?? quotedOriginal
        if let original {
            result.originalHeaders = original
            result.originalMessageID = original["Message-ID"]?.trimming(" <>")
        }

        if FeedbackReportParser.isFeedback(message) {
            result.kind = .feedback
            result.recipients = FeedbackReportParser.recipients(message, original: original).map {
                BouncedRecipient(address: $0, action: .unknown, reason: .feedback)
            }
            if result.recipients.isEmpty { result.recipients = [BouncedRecipient(address: "", action: .unknown, reason: .feedback)] }
            return result
        }

        if let ses = AmazonSESNotificationParser.parse(fullText) {
            result.kind = ses.kind
            result.recipients = ses.recipients
            if !ses.originalHeaders.isEmpty {
                result.originalHeaders = ses.originalHeaders
                result.originalMessageID = ses.originalMessageID?.trimming(" <>")
            }
            return result
        }

        let statusEntities = message.ownEntities.filter {
            ["message/delivery-status", "message/global-delivery-status"].contains($0.contentType.mediaType)
        }
        if !statusEntities.isEmpty {
            let recipients = DeliveryStatusReader.recipients(from: statusEntities, context: report)
            if !recipients.isEmpty {
                result.kind = .dsn
                result.recipients = recipients
                return result
            }
        }

        // Some MTAs (Sun Messaging Server, old Notes) put the delivery-status fields in the text itself.
        if let fields = Self.inlineDeliveryStatus(fullText) {
            let recipients = DeliveryStatusReader.recipients(from: DeliveryStatusParser.parse(Array(fields.utf8)), context: report)
            if !recipients.isEmpty {
                result.kind = .dsn
                result.recipients = recipients
                return result
            }
        }

        if depth < maximumForwardedDepth, let inner = forwardedReport(in: message) {
            let parsed = parse(message: inner, depth: depth + 1)
            if !parsed.recipients.isEmpty { return parsed }
        }

        if BounceSignals.looksLikeBounce(headers: headers, reportText: report) {
            var excluded = Set<String>()
            for name in ["From", "To", "Return-Path", "Reply-To"] {
                for address in headers.values(name).flatMap({ AddressExtractor.addresses(in: $0) }) {
                    excluded.insert(address.lowercased())
                }
            }
            for address in (original?.values("From") ?? []).flatMap({ AddressExtractor.addresses(in: $0) }) {
                excluded.insert(address.lowercased())
            }
            let originalTo = (original?.values("To") ?? []).flatMap { AddressExtractor.addresses(in: $0) }
            let findings = TextBounceParser.recipients(report: report, excluding: excluded, originalRecipients: originalTo)
            if !findings.isEmpty {
                result.kind = .mtaText
                result.recipients = findings.map { classify($0, report: report) }
                return result
            }
        }

        if AutoReplyDetector.isAutoReply(headers) {
            result.kind = .autoReply
            let sender = headers.values("From").flatMap { AddressExtractor.addresses(in: $0) }.first ?? ""
            result.recipients = [BouncedRecipient(address: sender, action: .unknown, reason: .vacation)]
            return result
        }

        result.kind = BounceSignals.looksLikeBounce(headers: headers, reportText: report) ? .undefined : .nonBounce
        return result
    }

    /// An attached message that is itself a delivery report (multipart/report with delivery-status).
    private static func forwardedReport(in message: BounceMessage) -> BounceMessage? {
        for entity in message.ownEntities where entity.contentType.mediaType == "message/rfc822" {
            guard let inner = entity.parts.first else { continue }
            let type = inner.contentType
            if type.mediaType == "multipart/report",
               type.parameters["report-type"]?.lowercased().contains("delivery-status") ?? false {
                return inner
            }
        }
        return nil
    }

    /// The text from the first line starting with an RFC 3464 per-recipient field, if the text has both
    /// a recipient field and an Action or Status field.
    static func inlineDeliveryStatus(_ text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let names = ["final-recipient:", "original-recipient:", "action:", "status:", "reporting-mta:"]
        guard let start = lines.firstIndex(where: { line in names.contains { line.lowercased().hasPrefix($0) } }) else { return nil }
        let block = lines[start...].joined(separator: "\n")
        let lowered = block.lowercased()
        guard lowered.contains("final-recipient:") || lowered.contains("original-recipient:"),
              lowered.contains("\naction:") || lowered.contains("\nstatus:") || lowered.hasPrefix("action:") else { return nil }
        return block
    }

    private static func classify(_ finding: TextBounceParser.Finding, report: String) -> BouncedRecipient {
        // The recipient's own line ("554 <a@b>... 550 Host unknown") outranks the transcript lines that
        // follow it, which may concern the next recipient.
        let ownLine = finding.diagnostic.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        let deciding = [ownLine, finding.leading].first { PhraseMatcher.reason(in: $0, table: ReasonPhrases.table) != nil }
            ?? finding.diagnostic
        let status = EnhancedStatus.first(in: deciding) ?? EnhancedStatus.first(in: finding.diagnostic)
        let replyCode = StatusCodeScanner.firstReplyCode(in: deciding) ?? StatusCodeScanner.firstReplyCode(in: finding.diagnostic)
        let verdict = BounceClassifier.classify(status: status, replyCode: replyCode, diagnostic: deciding,
                                                action: .failed, context: report, recipient: finding.address,
                                                dialogue: finding.diagnostic)
        return BouncedRecipient(address: finding.address, status: status, replyCode: replyCode,
                                diagnostic: finding.diagnostic.trimmingWhitespace(), action: .failed,
                                reason: verdict.reason, isHard: verdict.isHard)
    }
}
