/// Marks subscribers `sent` right after their relay's 250, several senders' marks in one write.
///
/// A sender waits until its own subscriber's mark is written before it takes another message, so a
/// crash can resend only what was in DATA (at most one message per connection). Senders that finish
/// while a write is running queue their marks; the next write takes them all ("group commit"): one
/// UPDATE for the whole group instead of one round trip per message, which at loopback speed cost as
/// much database time as the message's whole SMTP transaction.
actor SentMarks {
    /// Writes the marks; returns false when they could not be written (the batched settlement writes
    /// them again).
    typealias Write = @Sendable (_ subscriberIDs: [Int]) async -> Bool

    private enum Turn {
        /// The mark was written (or could not be: `written` false).
        case done(written: Bool)
        /// The previous write finished: this waiter writes the queued group, its own mark included.
        case lead
    }

    private let write: Write
    private var writing = false
    private var queued: [(id: Int, waiter: CheckedContinuation<Turn, Never>)] = []

    init(write: @escaping Write) {
        self.write = write
    }

    /// Returns once `subscriberID`'s mark is written: true, or false when the write failed.
    func mark(_ subscriberID: Int) async -> Bool {
        if writing {
            let turn = await withCheckedContinuation { queued.append((subscriberID, $0)) }
            switch turn {
            case .done(let written): return written
            case .lead: break
            }
        }
        // This caller writes: its own mark and every mark queued so far (all of them when it leads).
        writing = true
        var group = [subscriberID]
        var waiters: [CheckedContinuation<Turn, Never>] = []
        for entry in queued {
            group.append(entry.id)
            waiters.append(entry.waiter)
        }
        queued.removeAll(keepingCapacity: true)
        let written = await write(group)
        for waiter in waiters { waiter.resume(returning: .done(written: written)) }
        if queued.isEmpty {
            writing = false
        } else {
            // Hand the next write to the first waiting sender; this one goes back to sending at once.
            queued.removeFirst().waiter.resume(returning: .lead)
        }
        return written
    }
}
