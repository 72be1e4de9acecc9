import Foundation

/// A mail PHPList sends to its admins rather than to subscribers ("Campaign started", "Campaign finished",
/// the queue processing report), built as PHPList 3.6.15's sendMail → constructSystemMail → PHPMailer do
/// (`sent-system-campaign-started.eml`, `sent-system-queue-report.eml`): multipart/alternative with the
/// text wrapped at 75 columns and entity-decoded, and an HTML part that is the text with `<br />` added
/// before each line break and every http(s) URL made a link. `X-MessageID: systemmessage` lets the
/// bounce processor tell such mail from campaign mail.
public struct SystemMessage: Sendable {
    public var recipient: String
    public var subject: String
    /// The text as PHPList composes it (it may hold `&amp;`, which stays in the HTML part only).
    public var body: String
    public var fromAddress: String
    public var fromName: String
    /// config `domain`: the Message-ID's right-hand side.
    public var domain: String
    /// config `unsubscribeurl`: PHPList always adds `List-Unsubscribe: <…email=<recipient>&jo=1>`.
    public var unsubscribeURL: String
    /// MAIL FROM (`$message_envelope`).
    public var envelopeSender: String
    public var version: String = "3.6.15"
    public var versionHeader: ComposeSettings.VersionHeader = .phpList
    public var precedence: String? = "bulk"

    public init(recipient: String, subject: String, body: String, fromAddress: String, fromName: String,
                domain: String, unsubscribeURL: String, envelopeSender: String) {
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.domain = domain
        self.unsubscribeURL = unsubscribeURL
        self.envelopeSender = envelopeSender
    }

    /// The RFC 5322 bytes (CRLF, not dot-stuffed) and envelope.
    public func render(date: Date = Date()) -> (bytes: [UInt8], envelopeSender: String, recipient: String) {
        var system = SystemRandomNumberGenerator()
        let uniqueID = CompiledCampaign.uniqueID(&system)
        let crlf = MailEncoding.crlf
        var out: [UInt8] = []
        func header(_ name: String, _ value: String) { out += "\(name): \(value)\r\n".utf8 }
        header("Date", MailDate.format(date))
        header("To", HeaderEncoding.secure(recipient))
        header("From", HeaderEncoding.address(fromAddress, name: fromName))
        header("Subject", HeaderEncoding.encode(HeaderEncoding.secure(subject)))
        header("Message-ID", "<\(uniqueID)@\(domain)>")
        switch versionHeader {
        case .phpList: header("X-phpList-version", version)
        case .custom(let name, let value): header(name, value)
        case .omitted: break
        }
        header("X-MessageID", "systemmessage")
        header("X-ListMember", HeaderEncoding.encode(PHPString.trim(recipient)))
        if let precedence { header("Precedence", precedence) }
        let separator = unsubscribeURL.contains("?") ? "&" : "?"
        header("List-Unsubscribe", "<\(unsubscribeURL)\(separator)email=\(recipient)&jo=1>")
        header("MIME-Version", "1.0")
        let boundary = Array("b1_\(uniqueID)".utf8)
        out += "Content-Type: multipart/alternative;\r\n boundary=\"".utf8 + boundary + "\"\r\n\r\n".utf8
        out += "This is a multi-part message in MIME format.\r\n\r\n".utf8

        let text = MailEncoding.wrapText(Array(PHPString.htmlEntityDecode(body).utf8), length: 75)
        out += "--".utf8 + boundary
            + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8
        MailEncoding.quotedPrintable(text, into: &out)
        out += crlf
        out += "--".utf8 + boundary
            + "\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8
        MailEncoding.quotedPrintable(Array(Self.html(body).utf8), into: &out)
        out += crlf + crlf + "--".utf8 + boundary + "--".utf8 + crlf
        // PHPMailer's SMTP writer sends one more empty line after a body ending in CRLF.
        out += crlf
        return (out, envelopeSender, recipient)
    }

    /// nl2br, then every `https?://[^\s<]+` wrapped in a link to itself.
    static func html(_ text: String) -> String {
        var withBreaks = ""
        withBreaks.reserveCapacity(text.utf8.count + 64)
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if c == "\r" || c == "\n" {
                withBreaks += "<br />"
                withBreaks.unicodeScalars.append(c)
                // nl2br treats "\r\n" and "\n\r" as one break.
                if let next = chars.first, (next == "\r" || next == "\n"), next != c {
                    withBreaks.unicodeScalars.append(chars.removeFirst())
                }
            } else {
                withBreaks.unicodeScalars.append(c)
            }
        }
        var result = ""
        var rest = Substring(withBreaks)
        while let start = Self.nextURL(in: rest) {
            result += rest[..<start]
            let tail = rest[start...]
            let end = tail.firstIndex(where: { $0.isWhitespace || $0 == "<" }) ?? tail.endIndex
            let url = tail[..<end]
            result += "<a href=\"\(url)\">\(url)</a>"
            rest = tail[end...]
        }
        return result + rest
    }

    private static func nextURL(in text: Substring) -> Substring.Index? {
        var search = text[...]
        while let h = search.range(of: "http", options: .caseInsensitive) {
            var after = search[h.upperBound...]
            if after.first == "s" || after.first == "S" { after = after.dropFirst() }
            if after.hasPrefix("://"), after.dropFirst(3).first.map({ !$0.isWhitespace && $0 != "<" }) == true {
                return h.lowerBound
            }
            search = search[h.upperBound...]
        }
        return nil
    }
}
