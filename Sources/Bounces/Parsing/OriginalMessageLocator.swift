/// Finds the returned original message: an attached message/rfc822 or text/rfc822-headers part, or
/// the headers quoted after an MTA's "copy of the message follows" line in a plain-text bounce.
enum OriginalMessageLocator {
    /// Lower-cased phrases MTAs put on the line that introduces the returned message.
    static let delimiterPhrases = [
        "this is a copy of the message", "this is a copy of your message", // Exim
        "header of the original message", "headers of the original message", // GMX, 1&1
        "original message follows", "original message headers", "original message:", // IMail, Verizon
        "----- original message", "------ original message", "-- original message --",
        "below is a copy of the original message", // OpenSMTPD
        "unsent message follows", "message header follows", "unsent message header follows", // Sendmail
        "below this line is a copy of the message", // qmail
        "returned message follows", "content of the original message", "original message text follows",
        "included is a copy of the message header", "a copy of the original message", "text of the message follows",
        "copy of the original message", "original mail header", "返送メッセージ", "元のメッセージ",
    ]

    static func attachedHeaders(in message: BounceMessage) -> MessageHeaders? {
        for entity in message.allEntities.dropFirst() {
            switch entity.contentType.mediaType {
            case "message/rfc822", "message/global", "text/rfc822-headers", "message/rfc822-headers",
                 "message/global-headers", "message/partial":
                if let child = entity.parts.first, !child.headers.isEmpty { return child.headers }
            default:
                continue
            }
        }
        return nil
    }

    /// Splits a plain-text report at the delimiter line; returns the report and the quoted headers.
    static func split(text: String) -> (report: String, original: MessageHeaders?) {
        let bytes = Array(text.utf8)
        let lowered = ByteSearch.asciiLowercased(text)
        let earliest = delimiterPhrases.compactMap { ByteSearch.firstIndex(of: Array($0.utf8), in: lowered) }.min()
        guard let earliest else { return (text, nil) }
        let lineStart = bytes[..<earliest].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let lineEnd = bytes[earliest...].firstIndex(of: 0x0A) ?? bytes.endIndex
        let report = String(decoding: bytes[..<max(lineStart - 1, 0)], as: UTF8.self)
        let rest = lineEnd < bytes.endIndex ? String(decoding: bytes[(lineEnd + 1)...], as: UTF8.self) : ""
        return (report, quotedHeaders(in: rest))
    }

    /// Headers quoted in text, starting at the first line that looks like a header field.
    static func quotedHeaders(in text: String) -> MessageHeaders? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: looksLikeHeader) else { return nil }
        let block = lines[start...].joined(separator: "\n")
        let headers = BounceMessage(bytes: Array(block.utf8)).headers
        return headers.isEmpty ? nil : headers
    }

    private static func looksLikeHeader(_ line: Substring) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == ">" }
        guard let colon = trimmed.firstIndex(of: ":") else { return false }
        let name = trimmed[..<colon].lowercased()
        return ["received", "return-path", "message-id", "from", "to", "subject", "date", "mime-version",
                "x-messageid", "x-listmember", "x-mailer", "content-type", "reply-to", "delivered-to"].contains(name)
    }
}
