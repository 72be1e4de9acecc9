/// A report that counts bounce outcomes the same way wherever bounces are processed (a batch of files, a
/// mailbox pass), so `facteur bounces` prints comparable lines for both.
public protocol OutcomeCounting {
    var recorded: Int { get set }
    var unidentified: Int { get set }
    var alreadySeen: Int { get set }
    var skipped: Int { get set }
}

extension OutcomeCounting {
    mutating func count(_ outcome: BounceOutcome) {
        switch outcome.disposition {
        case .recorded:
            recorded += 1
            if !outcome.isProcessed { unidentified += 1 }
        case .alreadySeen: alreadySeen += 1
        case .skipped: skipped += 1
        }
    }
}
