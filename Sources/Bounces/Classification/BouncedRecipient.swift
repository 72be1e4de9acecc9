import SMTP

/// One recipient reported by a bounce, with the classifier's verdict.
public struct BouncedRecipient: Sendable, Equatable {
    public enum Action: String, Sendable {
        case failed, delayed, delivered, relayed, expanded, unknown
    }

    public var address: String
    public var status: EnhancedStatus?
    public var replyCode: Int?
    public var diagnostic: String
    public var action: Action
    public var remoteMTA: String?
    public var reason: BounceReason
    /// True when the address should be treated as permanently undeliverable.
    public var isHard: Bool

    public init(address: String, status: EnhancedStatus? = nil, replyCode: Int? = nil, diagnostic: String = "",
                action: Action = .failed, remoteMTA: String? = nil, reason: BounceReason = .undefined, isHard: Bool = false) {
        self.address = address
        self.status = status
        self.replyCode = replyCode
        self.diagnostic = diagnostic
        self.action = action
        self.remoteMTA = remoteMTA
        self.reason = reason
        self.isHard = isHard
    }
}
