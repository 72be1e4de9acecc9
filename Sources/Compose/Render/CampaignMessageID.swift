import Crypto

/// The local part of a campaign message's Message-ID, `<random>.<campaign id>.<subscriber id>.<check>`, so a
/// bounce that returns only the original's Message-ID (on the configured `domain`) still names its campaign
/// and subscriber. `check` is the first 8 hex digits of SHA-256("<campaign>.<subscriber>.<uniqid>"): a bounce
/// processor accepts the ids only when they match the subscriber's `uniqid`, which only someone who got mail
/// for that subscriber knows (it is in their unsubscribe links), so ids cannot be guessed into someone else's.
/// The random part (PHPMailer's generateId) keeps every Message-ID unique and also names the MIME boundaries.
public enum CampaignMessageID {
    public static func localPart(random: String, campaignID: Int, subscriberID: Int, uniqid: String) -> String {
        "\(random).\(campaignID).\(subscriberID).\(check(campaignID: campaignID, subscriberID: subscriberID, uniqid: uniqid))"
    }

    public static func check(campaignID: Int, subscriberID: Int, uniqid: String) -> String {
        let digest = SHA256.hash(data: Array("\(campaignID).\(subscriberID).\(uniqid)".utf8))
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest.prefix(4) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The ids a Message-ID (with or without angle brackets) claims, when it has this shape on `domain`
    /// (compared case-insensitively); not yet verified: compare `check` with the subscriber's.
    public static func claimed(by messageID: String, domain: String) -> (campaignID: Int, subscriberID: Int, check: String)? {
        var text = Substring(messageID)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        if text.hasPrefix("<"), text.hasSuffix(">") { text = text.dropFirst().dropLast() }
        guard !domain.isEmpty, let at = text.lastIndex(of: "@"),
              text[text.index(after: at)...].lowercased() == domain.lowercased() else { return nil }
        let parts = text[..<at].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, !parts[0].isEmpty, let campaign = Int(parts[1]), let subscriber = Int(parts[2]),
              campaign > 0, subscriber > 0, parts[3].count == 8 else { return nil }
        return (campaign, subscriber, parts[3].lowercased())
    }
}
