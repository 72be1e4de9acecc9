/// A place bounces are read from: an IMAP folder, a POP3 maildrop, an mbox file or a Maildir.
///
/// The contract the processor relies on — a bounce is never lost and never removed early:
/// 1. `fetch(limit:)` returns up to `limit` messages not finished before. It changes nothing in
///    the mailbox (IMAP uses `BODY.PEEK[]`, POP3 sends no `DELE`, files are only read).
/// 2. The caller commits each message's result to the database, then calls `finish(_:disposition:)`.
///    Only then may the message be deleted, moved or flagged. A crash between fetch and finish
///    leaves the message where it was: the next run reads it again (the processor's duplicate
///    check makes that harmless).
/// 3. `close()` ends the session. For POP3 this is where deletions take effect (`QUIT`); a session
///    that is dropped without `close()` deletes nothing. Call it once, also after errors.
///
/// One reader per mailbox: hold a `BounceMailboxLease` on `key` while reading.
public protocol BounceMailbox: Sendable {
    /// Identifies the mailbox for leases and the kept-message ledger, without credentials,
    /// e.g. `imap://bounces@mail.example.com:993/INBOX`.
    var key: String { get }

    /// Up to `limit` messages, oldest first, that were neither finished in an earlier session nor
    /// returned earlier in this one (a message the caller fails to commit is not handed out again
    /// until the next session, so one bad message cannot stall a run). Empty when none is left.
    func fetch(limit: Int) async throws -> [MailboxMessage]

    /// Applies `disposition` to a fetched message whose result is committed.
    func finish(_ id: MailboxMessage.ID, disposition: MailboxDisposition) async throws

    /// The same for several messages whose results are committed: one round trip on IMAP
    /// (a UID set). By default, one `finish` per id.
    func finish(_ ids: [MailboxMessage.ID], disposition: MailboxDisposition) async throws

    /// Ends the session (POP3: commits deletions). Never throws: problems are logged.
    func close() async
}

extension BounceMailbox {
    public func finish(_ ids: [MailboxMessage.ID], disposition: MailboxDisposition) async throws {
        for id in ids { try await finish(id, disposition: disposition) }
    }
}
