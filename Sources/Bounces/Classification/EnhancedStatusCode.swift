/// An RFC 3463 enhanced status code "class.subject.detail", e.g. 5.1.1.
public struct EnhancedStatusCode: Sendable, Hashable, CustomStringConvertible {
    public enum Class: Int, Sendable { case success = 2, transient = 4, permanent = 5 }

    public let statusClass: Class
    public let subject: Int
    public let detail: Int

    public init(statusClass: Class, subject: Int, detail: Int) {
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// Parses "5.1.1" (surrounding text not allowed; subject ≤ 3 digits, detail ≤ 3 digits).
    public init?(_ text: some StringProtocol) {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count == 3,
              let first = Int(pieces[0]), let statusClass = Class(rawValue: first),
              pieces[1].count <= 3, pieces[2].count <= 3,
              let subject = Int(pieces[1]), let detail = Int(pieces[2]) else { return nil }
        self.init(statusClass: statusClass, subject: subject, detail: detail)
    }

    /// The first enhanced code in free text ("550 5.1.1 <x>... User unknown" → 5.1.1).
    public static func first(in text: String) -> EnhancedStatusCode? {
        StatusCodeScanner.firstEnhancedCode(in: text)
    }

    public var description: String { "\(statusClass.rawValue).\(subject).\(detail)" }
    public var isPermanent: Bool { statusClass == .permanent }
    public var isTransient: Bool { statusClass == .transient }
    /// x.0.0 says nothing beyond the class.
    public var isUnspecific: Bool { subject == 0 && detail == 0 }
}
