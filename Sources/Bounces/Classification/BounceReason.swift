/// Why a message was not delivered: Sisimai's reason vocabulary plus `none` for ordinary mail.
public enum BounceReason: String, Sendable, CaseIterable {
    case userunknown, hostunknown, hasmoved, mailboxfull, suspend, notaccept, systemfull
    case mesgtoobig, exceedlimit, expired, networkerror, toomanyconn, speeding, blocked
    case requireptr, badreputation, authfailure, rejected, norelaying, filtered, spamdetected
    case virusdetected, policyviolation, contenterror, notcompliantrfc, securityerror
    case failedstarttls, syntaxerror, systemerror, mailererror, suppressed, onhold, undefined
    case delivered, feedback, vacation, none

    /// Delivered, feedback, vacation and ordinary mail are no failure at all.
    public var isFailure: Bool {
        switch self {
        case .delivered, .feedback, .vacation, .none: return false
        default: return true
        }
    }
}
