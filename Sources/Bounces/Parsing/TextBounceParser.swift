import SMTP

/// Reads the plain-text reports MTAs write when they do not use RFC 3464 (Exim, qmail, Sendmail's
/// transcript, Exchange 2003, OpenSMTPD, GMX/1&1, IMail…). These formats all list each failed address
/// at the start of a line (optionally quoted, bracketed or preceded by a reply code) followed by the
/// error; when no such line exists, the addresses mentioned in the text (or the returned message's To)
/// are the recipients and the whole report is their diagnostic.
enum TextBounceParser {
    struct Finding: Equatable {
        var address: String
        /// The recipient's line, the session lines just before it, then the lines after it.
        var diagnostic: String
        /// The recipient's own line and the preceding session lines (Sendmail writes ">>> command" and
        /// "<<< reply" before the "554 <a@b>... error" summary line): the most specific evidence.
        var leading: String = ""
    }

    /// Lines following a recipient line that still belong to its diagnostic.
    static let maximumBlockLines = 12

    static func recipients(report: String, excluding excluded: Set<String>, originalRecipients: [String]) -> [Finding] {
        let lines = report.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        var starts = recipientLines(lines, excluding: excluded)
        // A bounce sent to the failed address itself (a list member's own relay) lists only excluded addresses.
        if starts.isEmpty { starts = recipientLines(lines, excluding: []) }
        if !starts.isEmpty {
            var findings: [Finding] = []
            for (position, start) in starts.enumerated() {
                let limit = position + 1 < starts.count ? starts[position + 1].line : lines.count
                let end = min(limit, start.line + maximumBlockLines)
                let previousEnd = position > 0 ? starts[position - 1].line + 1 : 0
                var sessionStart = start.line
                while sessionStart > previousEnd, isSessionLine(lines[sessionStart - 1]) { sessionStart -= 1 }
                let session = lines[sessionStart..<start.line].joined(separator: "\n")
                let leading = session.isEmpty ? lines[start.line] : lines[start.line] + "\n" + session
                let following = lines[(start.line + 1)..<max(start.line + 1, end)].joined(separator: "\n")
                let block = following.isEmpty ? leading : leading + "\n" + following
                if let existing = findings.firstIndex(where: { $0.address.lowercased() == start.address.lowercased() }) {
                    findings[existing].diagnostic += "\n" + block
                    findings[existing].leading += "\n" + leading
                } else {
                    findings.append(Finding(address: start.address, diagnostic: block, leading: leading))
                }
            }
            return findings
        }
        // Addresses labelled as the recipient come first; those labelled as the sender are left out.
        var labelled: [String] = []
        var unlabelled: [String] = []
        for line in lines {
            let label = line.trimmingWhitespace().lowercased()
            if senderLabels.contains(where: { label.hasPrefix($0) }) { continue }
            let isRecipient = recipientLabels.contains { label.hasPrefix($0) }
            for address in AddressExtractor.addresses(in: line) where !excluded.contains(address.lowercased()) && !isServiceAddress(address) {
                if isRecipient { labelled.append(address) } else { unlabelled.append(address) }
            }
        }
        var mentioned: [String] = []
        for address in labelled + unlabelled where !mentioned.contains(where: { $0.lowercased() == address.lowercased() }) {
            mentioned.append(address)
        }
        if mentioned.isEmpty {
            mentioned = originalRecipients.filter { !excluded.contains($0.lowercased()) }
        }
        return mentioned.map { Finding(address: $0, diagnostic: report) }
    }

    /// A line of an SMTP session transcript (Sendmail: ">>> RCPT To:<a>", "<<< 550 …").
    static func isSessionLine(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        return trimmed.hasPrefix(">>>") || trimmed.hasPrefix("<<<")
    }

    /// Lines that start with a failed address. Exim's "The following address(es) failed:" list may hold
    /// a bare local part; an address introduced by "sent by"/"from" on the line above is the sender.
    static func recipientLines(_ lines: [String], excluding excluded: Set<String>) -> [(line: Int, address: String)] {
        var starts: [(line: Int, address: String)] = []
        var previous = ""
        var inFailedList = false
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingWhitespace()
            defer { if !trimmed.isEmpty { previous = trimmed.lowercased() } }
            if trimmed.lowercased().hasSuffix("address(es) failed:") || trimmed.lowercased().hasSuffix("following address failed:") {
                inFailedList = true
                continue
            }
            if previous.hasSuffix("sent by") || previous.hasSuffix(" from") { continue }
            if let address = leadingAddress(of: line) {
                if !excluded.contains(address.lowercased()) { starts.append((index, address)) }
            } else if inFailedList, line.hasPrefix("  "), !line.hasPrefix("   "), !trimmed.isEmpty,
                      !trimmed.contains(" "), trimmed.allSatisfy({ $0.isLetter || $0.isNumber || "._-+".contains($0) }) {
                starts.append((index, trimmed))
            }
            if inFailedList, !trimmed.isEmpty, !line.hasPrefix(" ") { inFailedList = false }
        }
        return starts
    }

    /// The address a line starts with, after indentation, list markers, quotes, brackets or a reply
    /// code with optional enhanced status ("550 5.1.1 <a@b>... User unknown").
    static func leadingAddress(of line: String) -> String? {
        var rest = Substring(line).drop { " \t*-•>".contains($0) }
        if rest.lowercased().hasPrefix("rcpt to:") || rest.lowercased().hasPrefix("mail from:") { return nil }
        // Reply code and enhanced status in front of the address (Sendmail, OpenSMTPD transcripts).
        if rest.count > 4, rest.prefix(3).allSatisfy(\.isNumber), rest.dropFirst(3).first == " " {
            rest = rest.dropFirst(4)
            if let space = rest.firstIndex(of: " "), EnhancedStatus(rest[..<space]) != nil {
                rest = rest[rest.index(after: space)...]
            }
        }
        rest = rest.drop { "\"'<(".contains($0) }
        guard let first = rest.first, first.isLetter || first.isNumber else { return nil }
        let token = rest.prefix { !" \t\"'>):,;".contains($0) }
        // "for a@b; Thu, 20 Nov …" is the end of a quoted Received header.
        if rest.dropFirst(token.count).first == ";" { return nil }
        let candidate = token.hasSuffix("...") ? token.dropLast(3) : token
        guard candidate.contains("@"), let address = AddressExtractor.addresses(in: String(candidate)).first,
              address.count == candidate.trimming(".").count else { return nil }
        return address
    }

    static let senderLabels = ["mail from:", "from:", "sender:", "original sender:", "return-path:", "reply-to:", "envelope-from"]
    static let recipientLabels = ["rcpt to:", "to:", "recipient:", "recipient address:", "original-recipient:",
                                  "final-recipient:", "failed recipient", "undeliverable to", "delivery to"]

    /// Addresses of the bouncing system itself, never a failed recipient.
    static func isServiceAddress(_ address: String) -> Bool {
        let local = address.split(separator: "@").first.map { $0.lowercased() } ?? ""
        return ["mailer-daemon", "postmaster", "mail-daemon", "maildaemon", "nobody", "root", "abuse",
                "no-reply", "noreply", "bounce", "bounces"].contains(local)
    }
}

extension Substring {
    fileprivate func trimming(_ set: String) -> String { String(self).trimming(set) }
}
