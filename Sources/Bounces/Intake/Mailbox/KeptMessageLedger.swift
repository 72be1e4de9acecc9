/// Remembers messages finished with `.keep` (left in their mailbox) so they are not fetched
/// again: PHPList's `$bounce_mailbox_purge = false` and POP3, which has no flags, need it.
public protocol KeptMessageLedger: Sendable {
    /// The ids kept in `mailbox`.
    func keptIDs(mailbox: String) async throws -> Set<String>
    func recordKept(mailbox: String, id: String) async throws
    /// Forgets kept ids that are no longer in the mailbox (someone removed them), so the ledger
    /// does not grow forever. `present` is every id the mailbox holds now.
    func forgetAbsent(mailbox: String, present: Set<String>) async throws
}
