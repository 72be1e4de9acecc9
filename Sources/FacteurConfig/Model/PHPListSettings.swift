/// `phplist.*` plus what Facteur took from PHPList's `config.php` that has no YAML key of its own.
public struct PHPListSettings: Sendable, Equatable {
    /// `phplist.config_php`: path of PHPList's `config.php`; empty = none.
    public var configPHP = ""
    /// `$attachment_repository`; empty when unknown.
    public var attachmentRepository = ""
    /// `$bounce_unsubscribe_threshold`: consecutive bounces before a subscriber is unconfirmed.
    public var bounceUnsubscribeThreshold = 3
    /// `BLACKLIST_EMAIL_ON_BOUNCE`: consecutive bounces before an address is blacklisted.
    public var blacklistEmailOnBounce = 50
    /// `$bounce_mailbox_purge`: delete processed bounces from the mailbox.
    public var bounceMailboxPurge = true
    /// `$bounce_mailbox_purge_unprocessed`: delete bounces no subscriber matched.
    public var bounceMailboxPurgeUnprocessed = true
    /// The MAILQUEUE_* / DOMAIN_* / TEST constants.
    public var queue = PHPListQueueSettings()
    /// Lines of config.php that were not evaluated (if blocks, function calls), for `facteur check`.
    public var skippedStatements: [PHPSkippedStatement] = []

    public init() {}
}
