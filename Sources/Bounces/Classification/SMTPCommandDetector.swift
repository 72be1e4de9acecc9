/// The SMTP command the remote server was answering when it refused, as MTAs write it in their
/// reports: Exim "SMTP error from remote mail server after RCPT TO:", Sendmail transcripts ">>> DATA",
/// Postfix "(in reply to end of DATA command)", GMX "after RCPT command".
enum SMTPCommand: Sendable {
    /// Refused at the greeting or at EHLO/HELO, before any envelope command: the connecting host itself is refused.
    case connect
    case mailFrom, rcptTo, data
}

enum SMTPCommandDetector {
    private static let markers: [(String, SMTPCommand)] = [
        ("after initial connection", .connect), ("refused to talk to me", .connect), ("in reply to greeting", .connect),
        ("after ehlo", .connect), ("after helo", .connect), (">>> ehlo", .connect), (">>> helo", .connect),
        ("in reply to ehlo", .connect), ("in reply to helo", .connect),
        ("after mail from", .mailFrom), (">>> mail from", .mailFrom), ("in reply to mail from", .mailFrom),
        ("after rcpt to", .rcptTo), (">>> rcpt to", .rcptTo), ("in reply to rcpt to", .rcptTo),
        ("after rcpt command", .rcptTo), ("after rcpt", .rcptTo), ("smtp:rcpt", .rcptTo), ("smtp:mail", .mailFrom),
        ("smtp:data", .data),
        ("after end of data", .data), ("after data", .data), (">>> data", .data), ("in reply to end of data", .data),
        ("in reply to data", .data), ("(data)", .data), ("after end of message", .data), ("after sending data", .data),
        ("after sending message", .data),
    ]

    /// The last command mentioned up to the end of the first line naming `recipient` (in a transcript
    /// the recipient's own RCPT line), so commands issued for other recipients later are not taken.
    static func command(in text: String, before recipient: String, reply: String = "") -> SMTPCommand? {
        let lowered = text.lowercased()
        let occurrences = recipient.isEmpty ? [] : lowered.ranges(of: recipient.lowercased())
        guard let first = occurrences.first else { return command(in: text) }
        // Prefer the address inside the session transcript (">>> RCPT To:<a>", "<<< 550 … a") over
        // the summary list above it.
        let inTranscript = occurrences.first { range in
            let lineStart = lowered[..<range.lowerBound].lastIndex(of: "\n").map { lowered.index(after: $0) } ?? lowered.startIndex
            let line = lowered[lineStart...].drop { $0 == " " || $0 == "\t" }
            return line.hasPrefix(">>>") || line.hasPrefix("<<<")
        }
        // Otherwise the transcript line carrying the reply itself ("<<< 550 : User unknown").
        let replyLine = reply.trimmingWhitespace().lowercased()
        let byReply = inTranscript == nil && replyLine.count >= 8 ? lowered.ranges(of: "<<< " + replyLine).first : nil
        let found = inTranscript ?? byReply ?? first
        let lineEnd = lowered[found.upperBound...].firstIndex(of: "\n") ?? lowered.endIndex
        return command(in: String(lowered[..<lineEnd]))
    }

    /// The command mentioned last in the text (the one the final answer belongs to).
    static func command(in text: String) -> SMTPCommand? {
        guard !text.isEmpty else { return nil }
        let lowered = ByteSearch.asciiLowercased(text)
        var best: (index: Int, command: SMTPCommand)?
        for (marker, command) in markers {
            guard let index = ByteSearch.lastIndex(of: Array(marker.utf8), in: lowered) else { continue }
            if index > best?.index ?? -1 { best = (index, command) }
        }
        return best?.command
    }
}
