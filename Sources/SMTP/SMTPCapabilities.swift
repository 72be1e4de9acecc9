/// What a server offered in its EHLO reply (RFC 5321 §4.1.1.1). Keywords are matched without
/// regard to case, as the RFC requires; an empty value means HELO was used.
public struct SMTPCapabilities: Sendable, Hashable {
    /// Upper-cased keyword → its parameters as sent.
    public let keywords: [String: [String]]

    public init(keywords: [String: [String]] = [:]) {
        self.keywords = keywords
    }

    /// Parses an EHLO reply: the first line is the server's greeting, each further line a keyword
    /// with optional space-separated parameters. The obsolete `AUTH=PLAIN LOGIN` form is merged
    /// into `AUTH`.
    public init(ehloReply: SMTPReply) {
        var keywords: [String: [String]] = [:]
        for line in ehloReply.lines.dropFirst() {
            let fields = line.split(separator: " ").map(String.init)
            guard var keyword = fields.first?.uppercased() else { continue }
            var parameters = Array(fields.dropFirst())
            if keyword.hasPrefix("AUTH=") {
                parameters.insert(String(keyword.dropFirst(5)), at: 0)
                keyword = "AUTH"
            }
            keywords[keyword, default: []].append(contentsOf: parameters)
        }
        self.keywords = keywords
    }

    public func supports(_ keyword: String) -> Bool { keywords[keyword.uppercased()] != nil }

    public var pipelining: Bool { supports("PIPELINING") }
    public var startTLS: Bool { supports("STARTTLS") }
    public var eightBitMIME: Bool { supports("8BITMIME") }
    public var smtpUTF8: Bool { supports("SMTPUTF8") }
    public var dsn: Bool { supports("DSN") }
    public var enhancedStatusCodes: Bool { supports("ENHANCEDSTATUSCODES") }

    /// SIZE is offered; `maximumSize` is its limit, nil when the server gave none (or 0, "no limit").
    public var size: Bool { supports("SIZE") }
    public var maximumSize: Int? {
        guard let value = keywords["SIZE"]?.first.flatMap({ Int($0) }), value > 0 else { return nil }
        return value
    }

    /// Upper-cased SASL mechanism names offered after AUTH.
    public var authMechanisms: Set<String> {
        Set((keywords["AUTH"] ?? []).map { $0.uppercased() })
    }
}
