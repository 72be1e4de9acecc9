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
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigit) }),
              let c = Int(parts[0]), let s = Int(parts[1]), let d = Int(parts[2]),
              c == 2 || c == 4 || c == 5
        else { return nil }
        self.init(statusClass: c, subject: s, detail: d)
    }

    public var description: String { "\(statusClass).\(subject).\(detail)" }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
}
