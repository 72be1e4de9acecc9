/// Whether a message presents itself as a delivery failure report (sender, subject or body wording).
enum BounceSignals {
    static let subjectPhrases = [
        "undeliver", "undelivered", "delivery status", "delivery failure", "delivery failed", "failure notice",
        "returned mail", "mail delivery", "delivery notification", "nondeliverable", "non-deliverable",
        "non remis", "unzustellbar", "delivery problem", "could not be delivered", "failed delivery",
        "mail failure", "rejected", "warning: could not send", "not delivered", "delivery report",
        "mail system error", "returned to sender", "error sending", "bounce", "nicht zustellbar",
        "échec de la remise", "配信", "エラー", "不達", "message failure",
    ]
    static let senderLocalParts = ["mailer-daemon", "postmaster", "post_master", "mail-daemon", "maildaemon", "mailerdaemon"]
    static let bodyPhrases = [
        "could not be delivered", "delivery has failed", "undeliverable", "did not reach",
        "permanent error", "failed permanently", "delivery to the following", "following address",
        "following recipient", "following addresses", "unable to deliver", "transcript of session",
        "was not delivered", "delivery failed", "i'm afraid i wasn't able to deliver", "error has occurred while",
        "message could not be", "could not deliver", "returned to you", "non-delivery", "failed to deliver",
    ]

    static func looksLikeBounce(headers: MessageHeaders, reportText: String) -> Bool {
        let from = (headers["From"] ?? "").lowercased()
        if senderLocalParts.contains(where: { from.contains($0) }) || from.contains("mail delivery") { return true }
        let subject = (headers["Subject"] ?? "").lowercased()
        if subjectPhrases.contains(where: { subject.contains($0) }) { return true }
        let body = ByteSearch.asciiLowercased(reportText)
        return bodyPhrases.contains { ByteSearch.contains($0, in: body) }
    }
}
