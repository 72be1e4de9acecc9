/// What one pass over one mailbox did (`facteur bounces` prints `summaryLine` per mailbox).
public struct MailboxPassReport: Sendable, OutcomeCounting {
    public enum Ending: Sendable {
        /// Every message fetched was processed and finished.
        case completed
        /// Another worker holds the mailbox's lease: nothing read.
        case leasedElsewhere(holder: String?)
        /// PHPList's processbounces (or another Facteur) held the processbounces lock: nothing processed.
        case busy(String)
        /// The mailbox could not be opened or read, or the database failed; what was committed stays committed.
        case failed(String)
    }

    public let mailbox: String
    public var ending: Ending = .completed
    public var fetched = 0
    public var recorded = 0
    public var unidentified = 0
    public var alreadySeen = 0
    public var skipped = 0
    /// Messages deleted, moved, flagged or marked kept after their commit.
    public var finished = 0
    public var pass = BounceBatchSummary()
    public var seconds = 0.0

    public init(mailbox: String) {
        self.mailbox = mailbox
    }

    public var failed: Bool {
        if case .failed = ending { return true }
        return false
    }

    public var summaryLine: String {
        let counts = "\(fetched) bounces: \(recorded) recorded (\(unidentified) unidentified), \(alreadySeen) already processed, "
            + "\(skipped) skipped, \(finished) finished in the mailbox; rules matched \(pass.ruleMatches), "
            + "threshold unconfirmed \(pass.unconfirmedByThreshold)"
        switch ending {
        case .completed: return "\(mailbox): \(counts)"
        case .leasedElsewhere(let holder): return "\(mailbox): skipped, read by worker \(holder ?? "another worker") now"
        case .busy(let why): return "\(mailbox): not processed: \(why)"
        case .failed(let why): return "\(mailbox): FAILED after \(counts): \(why)"
        }
    }
}
