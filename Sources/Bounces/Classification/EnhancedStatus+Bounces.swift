import SMTP

/// What bounce classification asks of an RFC 3463 code (the type itself is the SMTP client's).
extension EnhancedStatus {
    /// The first enhanced code in free text ("550 5.1.1 <x>... User unknown" → 5.1.1).
    static func first(in text: String) -> EnhancedStatus? {
        StatusCodeScanner.firstEnhancedCode(in: text)
    }

    var isSuccess: Bool { statusClass == 2 }
    var isTransient: Bool { statusClass == 4 }
    var isPermanent: Bool { statusClass == 5 }
    /// x.0.0 says nothing beyond the class.
    var isUnspecific: Bool { subject == 0 && detail == 0 }
}
