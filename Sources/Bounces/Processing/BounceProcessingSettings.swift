import Compose
import Relaying

/// How bounces turn into subscriber state. Built by the command line from `bounces.*`, PHPList's
/// `$bounce_unsubscribe_threshold` / `BLACKLIST_EMAIL_ON_BOUNCE` and `compose.verp`.
public struct BounceProcessingSettings: Sendable {
    /// `bounces.policy`.
    public enum Policy: String, Sendable, CaseIterable {
        /// Exactly PHPList 3.6.15's processbounces.
        case phplist
        /// PHPList's writes plus: hard → unconfirmed at once, complaint → blacklisted, auto-replies,
        /// delay notices and delivery reports stored but not counted, per-reason overrides.
        case facteur
    }

    /// What the `facteur` policy does with a bounce of some reason.
    public enum Action: String, Sendable, CaseIterable {
        /// Recorded and counted as PHPList does (counts toward the consecutive-bounce threshold).
        case count
        /// Counted, and the subscriber unconfirmed at once.
        case unconfirm
        /// Counted, and the subscriber blacklisted at once.
        case blacklist
        /// Stored for a human to see; no counter, no threshold, no rule.
        case ignore
    }

    public var policy: Policy
    /// `$bounce_unsubscribe_threshold`: consecutive bounced campaigns before a subscriber is unconfirmed.
    public var unsubscribeThreshold: Int
    /// `BLACKLIST_EMAIL_ON_BOUNCE`: consecutive bounced campaigns before the address is blacklisted (0 = never).
    public var blacklistThreshold: Int
    /// Set while `compose.verp` is on: only a bounce addressed to a correctly signed VERP address identifies anyone.
    public var verp: VERPAddress.Config?
    /// `bounces.reason_overrides`: the `facteur` policy's action per classifier reason, over the defaults.
    public var reasonOverrides: [BounceReason: Action]
    /// Test-only: `FACTEUR_TEST_CRASH_AT=bounce-before-commit[:N]` ends the process with status 86 inside
    /// the N-th bounce's transaction (default the first), after its writes and before COMMIT.
    public var crashPoint: String?
    /// When set, soft and hard bounces are also counted per destination provider in `facteur_provider_stats`
    /// (the table of migrations/0003), with this mapping: `ProviderTable(configured: throttle.providers)`.
    public var providerStats: ProviderTable?
    /// PHPList's config `domain` (the right-hand side of campaign Message-IDs): with policy `facteur`, a bounce
    /// whose returned original has a Facteur campaign Message-ID on this domain is identified by it.
    public var messageIDDomain: String?

    public init(policy: Policy = .facteur, unsubscribeThreshold: Int = 3, blacklistThreshold: Int = 50,
                verp: VERPAddress.Config? = nil, reasonOverrides: [BounceReason: Action] = [:], crashPoint: String? = nil) {
        self.policy = policy
        self.unsubscribeThreshold = unsubscribeThreshold
        self.blacklistThreshold = blacklistThreshold
        self.verp = verp
        self.reasonOverrides = reasonOverrides
        self.crashPoint = crashPoint
    }

    /// The `facteur` policy's default for a reason: hard reasons unconfirm, complaints blacklist,
    /// auto-replies / delivery reports / ordinary mail are ignored, every other failure counts.
    public func action(for reason: BounceReason, isHard: Bool) -> Action {
        if let override = reasonOverrides[reason] { return override }
        switch reason {
        case .feedback: return .blacklist
        case .vacation, .delivered, .none: return .ignore
        default: return isHard ? .unconfirm : .count
        }
    }
}
