/// An RFC 3463 enhanced status code, `class.subject.detail` (for example `5.1.1`).
public struct EnhancedStatus: Sendable, Hashable, CustomStringConvertible {
    /// 2 (success), 4 (persistent transient failure) or 5 (permanent failure).
    public let statusClass: Int
    public let subject: Int
    public let detail: Int

    public init(statusClass: Int, subject: Int, detail: Int) {
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// Parses `"5.7.8"`; nil unless it is exactly three dot-separated numbers with a valid class
    /// and the RFC 3463 digit limits (subject up to 3 digits, detail up to 3 digits).
    public init?(_ text: some StringProtocol) {
        // Byte by byte: this runs on every SMTP reply, where Character-level splitting shows up.
        var parts = (0, 0, 0)
        var part = 0
        var digits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, part < 2 else { return nil }
                part += 1
                digits = 0
                continue
            }
            guard byte >= 0x30, byte <= 0x39, digits < 3 else { return nil }
            digits += 1
            let value = Int(byte - 0x30)
            switch part {
            case 0: parts.0 = parts.0 * 10 + value
            case 1: parts.1 = parts.1 * 10 + value
            default: parts.2 = parts.2 * 10 + value
            }
        }
        guard part == 2, digits > 0, parts.0 == 2 || parts.0 == 4 || parts.0 == 5 else { return nil }
        self.init(statusClass: parts.0, subject: parts.1, detail: parts.2)
    }

    public var description: String { "\(statusClass).\(subject).\(detail)" }
}
