/// One (possibly multi-line) SMTP reply exactly as the server sent it, minus the CRLFs.
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// How the layers above should treat a reply (RFC 5321 §4.2.1).
    public enum Kind: Sendable, Hashable {
        /// 2xx.
        case success
        /// 3xx (354 to DATA, 334 during AUTH).
        case intermediate
        /// 4xx: try again later, possibly elsewhere.
        case transient
        /// 5xx: do not retry this message to this recipient.
        case permanent
    }

    public let code: Int
    /// The enhanced status of the first line, when it carries one whose class matches `code`.
    public let enhancedStatus: EnhancedStatus?
    /// The text of each line after the code and separator (enhanced status included), in order.
    public let lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines.isEmpty ? [""] : lines
        self.enhancedStatus = Self.enhancedStatus(code: code, firstLine: self.lines[0])
    }

    public var kind: Kind {
        switch code / 100 {
        case 2: .success
        case 3: .intermediate
        case 4: .transient
        default: .permanent
        }
    }

    public var isSuccess: Bool { kind == .success }
    public var isTransient: Bool { kind == .transient }
    public var isPermanent: Bool { kind == .permanent }

    /// The text after the enhanced status on the first line, then the other lines, joined by spaces.
    public var text: String {
        var first = Substring(lines[0])
        if enhancedStatus != nil, let space = first.firstIndex(of: " ") {
            first = first[first.index(after: space)...]
        } else if enhancedStatus != nil {
            first = ""
        }
        return ([String(first)] + lines.dropFirst()).joined(separator: " ")
    }

    /// `535 5.7.8 Authentication credentials invalid`, lines joined by " / " for one log line.
    public var description: String {
        lines.map { $0.isEmpty ? "\(code)" : "\(code) \($0)" }.joined(separator: " / ")
    }

    private static func enhancedStatus(code: Int, firstLine: String) -> EnhancedStatus? {
        let token = firstLine.prefix { $0 != " " }
        guard let status = EnhancedStatus(token), status.statusClass == code / 100 else { return nil }
        return status
    }
}
