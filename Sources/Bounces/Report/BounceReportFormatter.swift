import Foundation

/// The output of `facteur bounces classify`: one line (or JSON object) per reported recipient.
public enum BounceReportFormatter {
    public enum Format: String, Sendable, CaseIterable {
        case tsv, json
    }

    /// "hard", "soft" or "none" (delivered, feedback, vacation and ordinary mail are neither).
    public static func severity(of recipient: BouncedRecipient) -> String {
        guard recipient.reason.isFailure else { return "none" }
        return recipient.isHard ? "hard" : "soft"
    }

    /// TSV rows `file, recipient, status, reason, hard|soft|none`; a message reporting nobody gets one
    /// row with an empty recipient (reason `none` for ordinary mail, `undefined` for an unreadable bounce).
    public static func rows(file: String, bounce: ParsedBounce) -> [[String]] {
        if bounce.recipients.isEmpty {
            let reason: BounceReason = bounce.kind == .nonBounce ? .none : .undefined
            return [[file, "", "", reason.rawValue, reason == .none ? "none" : "soft"]]
        }
        return bounce.recipients.map {
            [file, $0.address, $0.status?.description ?? "", $0.reason.rawValue, severity(of: $0)]
        }
    }

    public static func tsv(file: String, bounce: ParsedBounce) -> String {
        rows(file: file, bounce: bounce).map { $0.map(sanitized).joined(separator: "\t") }.joined(separator: "\n")
    }

    /// One JSON object per recipient row, with the extra fields the TSV leaves out.
    public static func json(file: String, bounce: ParsedBounce) -> String {
        let records: [[String: Any]]
        if bounce.recipients.isEmpty {
            let reason: BounceReason = bounce.kind == .nonBounce ? .none : .undefined
            records = [["file": file, "recipient": "", "status": "", "reason": reason.rawValue,
                        "severity": reason == .none ? "none" : "soft", "kind": bounce.kind.rawValue]]
        } else {
            records = bounce.recipients.map { recipient in
                var record: [String: Any] = [
                    "file": file, "recipient": recipient.address, "status": recipient.status?.description ?? "",
                    "reason": recipient.reason.rawValue, "severity": severity(of: recipient), "kind": bounce.kind.rawValue,
                    "action": recipient.action.rawValue, "diagnostic": recipient.diagnostic,
                ]
                if let code = recipient.replyCode { record["replyCode"] = code }
                if let id = bounce.originalMessageID { record["originalMessageID"] = id }
                return record
            }
        }
        return records.compactMap { record in
            (try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) }
        }.joined(separator: "\n")
    }

    private static func sanitized(_ field: String) -> String {
        String(field.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
