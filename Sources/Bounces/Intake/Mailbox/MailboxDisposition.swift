/// What happens to a message in its mailbox once its result is committed.
public enum MailboxDisposition: Sendable, Hashable {
    /// Removed: IMAP `\Deleted` + (UID) EXPUNGE; POP3 `DELE` (effective at `close()`); file unlinked.
    case delete
    /// IMAP: `UID MOVE` (or `UID COPY` + delete without the MOVE capability); Maildir: into the
    /// Maildir++ subfolder `.<folder>/cur/`. POP3 and mbox cannot move: treated as `keep`.
    case move(folder: String)
    /// IMAP: `UID STORE +FLAGS (flag)` (`\Seen` or a keyword); Maildir: into `cur/` with the flag's
    /// letter (`\Seen` S, `\Flagged` F, `\Answered` R; keywords add S only). Never fetched again.
    case flag(String)
    /// Left untouched in the mailbox; recorded in the kept-message ledger (when the mailbox has
    /// one) so it is not fetched again. Maildir marks it seen (`cur/…:2,S`) instead.
    case keep

    /// `\Seen`: the usual flag for "processed".
    public static let seen = MailboxDisposition.flag("\\Seen")
}
