/// RFC 3834 automatic replies and the vendor headers/subjects that predate it.
enum AutoReplyDetector {
    /// Subject prefixes of vacation responders (Outlook/Exchange, Apple, Gmail, German, French, Japanese…).
    static let subjectPhrases = [
        "out of office", "out of the office", "automatic reply", "auto reply", "autoreply", "auto-reply",
        "auto response", "autoresponse", "auto-response", "away until", "on vacation", "vacation reply",
        "abwesenheitsnotiz", "automatische antwort", "abwesend", "réponse automatique", "absence",
        "respuesta automática", "risposta automatica", "automatisch antwoord", "不在", "自動返信", "自動応答",
    ]

    static func isAutoReply(_ headers: MessageHeaders) -> Bool {
        if let value = headers["Auto-Submitted"]?.lowercased(), value.hasPrefix("auto-replied") { return true }
        if headers.contains("X-Autoreply") || headers.contains("X-Autorespond") || headers.contains("X-Autoresponder") {
            return true
        }
        if let action = headers["X-Apple-Action"]?.lowercased(), action.contains("vacation") { return true }
        if let precedence = headers["Precedence"]?.lowercased(), precedence.contains("auto_reply") { return true }
        let subject = (headers["Subject"] ?? "").lowercased()
        return subjectPhrases.contains { subject.contains($0) }
    }
}
