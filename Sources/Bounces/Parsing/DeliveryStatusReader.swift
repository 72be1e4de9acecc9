import SMTP

/// Turns the message/delivery-status parts of a DSN into classified recipients. Failed and delayed
/// recipients are reported; a DSN that only reports successes yields its delivered recipients.
enum DeliveryStatusReader {
    static func recipients(from entities: [BounceMessage], context: String) -> [BouncedRecipient] {
        recipients(from: entities.flatMap { DeliveryStatusParser.parse($0.body) }, context: context)
    }

    static func recipients(from entries: [DeliveryStatusParser.Entry], context: String) -> [BouncedRecipient] {
        // The human-readable part often says more about each recipient than the machine part.
        let textFindings = TextBounceParser.recipients(report: context, excluding: [], originalRecipients: [])
        let failures = entries.filter { ![.delivered, .relayed, .expanded].contains($0.action) && !($0.status?.isSuccess ?? false) }
        let chosen = failures.isEmpty ? entries : failures
        var seen = Set<String>()
        var recipients: [BouncedRecipient] = []
        for entry in chosen {
            guard let address = entry.address, seen.insert(address.lowercased()).inserted else { continue }
            var diagnostic = MultilineReply.complete(entry.diagnostic, from: context)
            // "Status: 4.0.0 (cat.example.net: host name lookup failure)": the comment is a diagnostic too.
            if diagnostic.isEmpty, let comment = entry.statusComment { diagnostic = comment }
            if diagnostic.isEmpty || EnhancedStatus.first(in: diagnostic) == nil && diagnostic.count < 12,
               let finding = textFindings.first(where: { $0.address.lowercased() == address.lowercased() && $0.diagnostic != context }) {
                diagnostic = finding.diagnostic.trimmingWhitespace() + (diagnostic.isEmpty ? "" : "\n" + diagnostic)
            }
            let textStatus = StatusCodeScanner.enhancedCodeAfterReplyCode(in: diagnostic) ?? EnhancedStatus.first(in: diagnostic)
            // A DSN's own Status often says 5.0.0 while the remote answer carries the precise code.
            var status = entry.status
            if let fromText = textStatus, status == nil || (status?.isUnspecific ?? false) { status = fromText }
            let replyCode = StatusCodeScanner.firstReplyCode(in: diagnostic)
            let block = textFindings.first { $0.address.lowercased() == address.lowercased() && $0.diagnostic != context }
            var verdict = BounceClassifier.classify(status: status, replyCode: replyCode, diagnostic: diagnostic,
                                                    action: entry.action, context: context, recipient: address,
                                                    dialogueHint: block?.diagnostic ?? "")
            // An X-Unix diagnostic is the exit status of the local delivery program (sysexits.h).
            if entry.diagnosticType == "x-unix", PhraseMatcher.reason(in: diagnostic, table: ReasonPhrases.table) == nil {
                verdict = (BounceReason.mailererror, false)
            }
            recipients.append(BouncedRecipient(address: address, status: status, replyCode: replyCode,
                                               diagnostic: diagnostic, action: entry.action, remoteMTA: entry.remoteMTA,
                                               reason: verdict.reason, isHard: verdict.isHard))
        }
        return recipients
    }
}
