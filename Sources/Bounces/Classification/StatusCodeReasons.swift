import SMTP

/// Reasons implied by an enhanced status code alone (RFC 3463, RFC 7372 for x.7.2x, RFC 7505 for
/// x.1.10 / x.7.27). Codes that name no single cause (x.0.0, x.7.1 "delivery not authorized", x.5.x)
/// map to nil so that the diagnostic text decides.
enum StatusCodeReasons {
    /// Codes precise enough to outrank the wording of the diagnostic (RFC 3463 x.1.6 "mailbox has moved",
    /// x.2.3 "message length exceeds administrative limit", RFC 7372 authentication results).
    static func decisiveReason(for code: EnhancedStatus) -> BounceReason? {
        switch (code.subject, code.detail) {
        case (1, 6), (2, 3), (7, 20...26): return reason(for: code)
        default: return nil
        }
    }

    static func reason(for code: EnhancedStatus) -> BounceReason? {
        switch (code.subject, code.detail) {
        case (1, 1), (1, 3): return .userunknown
        case (1, 2): return .hostunknown
        case (1, 6): return .hasmoved
        case (1, 7), (1, 8): return .rejected
        case (1, 10): return .notaccept
        case (2, 1): return .suspend
        case (2, 2): return .mailboxfull
        case (2, 3): return .exceedlimit
        case (2, 4): return .systemerror
        case (3, 1): return .systemfull
        case (3, 2): return .notaccept
        case (3, 4): return .mesgtoobig
        case (3, 5): return .systemerror
        case (4, 1), (4, 2): return .networkerror
        case (4, 3): return .systemerror
        case (4, 4): return .hostunknown
        case (4, 5): return .toomanyconn
        case (4, 6): return .networkerror
        case (4, 7): return .expired
        case (5, 3): return .exceedlimit
        case (5, _) where code.detail != 0: return .syntaxerror
        case (6, _) where code.detail != 0: return .contenterror
        case (7, 4), (7, 5), (7, 6), (7, 7), (7, 8), (7, 9), (7, 11): return .securityerror
        case (7, 10): return .failedstarttls
        case (7, 13), (7, 12): return .suspend
        case (7, 20), (7, 21), (7, 22), (7, 23), (7, 24), (7, 26): return .authfailure
        case (7, 25): return .requireptr
        case (7, 27): return .notaccept
        default: return nil
        }
    }
}
