/// Every configuration key. Adding a key: add the field to its section struct, one line here, and a
/// row in README's "Configuration reference" (a test checks that every key listed here is documented).
enum ConfigurationKeys {
    typealias Root = FacteurConfiguration

    /// Scalar keys of the file; each is also overridable by its `FACTEUR_…` environment variable.
    static let scalars: [ConfigKey<Root>] = [
        .url("database.url", \.database.url),
        .scalar("database.table_prefix", \.database.tablePrefix),
        .scalar("database.user_table_prefix", \.database.userTablePrefix),
        .scalar("database.max_connections", \.database.maxConnections),

        .scalar("phplist.config_php", \.phplist.configPHP),

        .scalar("compose.envelope_sender", \.compose.envelopeSender),
        .scalar("compose.personalise_subject", \.compose.personaliseSubject),
        .scalar("compose.verp", \.compose.verp),
        .scalar("compose.version_header", \.compose.versionHeader),
        .scalar("compose.dkim.domain", \.compose.dkim.domain),
        .scalar("compose.dkim.selector", \.compose.dkim.selector),
        .scalar("compose.dkim.key_file", \.compose.dkim.keyFile),

        .scalar("bounces.verp_secret", \.bounces.verpSecret, secret: true),
        .scalar("bounces.policy", \.bounces.policy),
        .scalar("bounces.listen", \.bounces.listen),
        .scalar("bounces.max_size", \.bounces.maxSize),
        .scalar("bounces.poll_interval", \.bounces.pollInterval),
        .scalar("bounces.listen_rate", \.bounces.listenRate),

        .scalar("http.listen", \.http.listen),
        .scalar("http.token", \.http.token, secret: true),
        .scalar("http.basic_auth", \.http.basicAuth, secret: true),

        .scalar("logging.level", \.logging.level),

        .scalar("throttle.start_rate", \.throttle.startRate),

        .scalar("retry.max_age", \.retry.maxAge),
        .scalar("retry.initial_delay", \.retry.initialDelay),
        .scalar("retry.max_delay", \.retry.maxDelay),
        .scalar("retry.jitter", \.retry.jitter),
    ]

    /// List keys: from the file only.
    static let lists: [ConfigListKey<Root>] = [
        .mappings("relays", \.relays, keys: relay, template: RelayConfiguration()),
        .mappings("bounces.mailboxes", \.bounces.mailboxes, keys: mailbox, template: MailboxConfiguration()),
        .scalars("bounces.domains", \.bounces.domains),
        .mappings("throttle.providers", \.throttle.providers, keys: provider, lists: providerLists,
                  template: ProviderConfiguration()),
        .mappings("bounces.reason_overrides", \.bounces.reasonOverrides, keys: reasonOverride, template: BounceReasonOverride()),
    ]

    /// Keys of one `relays[]` entry.
    static let relay: [ConfigKey<RelayConfiguration>] = [
        .scalar("name", \.name),
        .url("url", \.url),
        .scalar("weight", \.weight),
        .scalar("max_connections", \.maxConnections),
        .scalar("messages_per_connection", \.messagesPerConnection),
        .scalar("max_rate", \.maxRate),
        .scalar("daily_cap", \.dailyCap),
        .scalar("starttls", \.starttls),
        .scalar("tls_ca_file", \.tlsCAFile),
        .scalar("tls_verify", \.tlsVerify),
        .scalar("auth", \.auth),
        .scalar("timeout_connect", \.timeoutConnect),
        .scalar("timeout_command", \.timeoutCommand),
        .scalar("timeout_data_initiation", \.timeoutDataInitiation),
        .scalar("timeout_data_block", \.timeoutDataBlock),
        .scalar("timeout_data_termination", \.timeoutDataTermination),
        .scalar("timeout_idle", \.timeoutIdle),
    ]

    /// Keys of one `throttle.providers[]` entry.
    static let provider: [ConfigKey<ProviderConfiguration>] = [
        .scalar("name", \.name),
        .scalar("max_rate", \.maxRate),
        .scalar("max_concurrent", \.maxConcurrent),
    ]

    static let providerLists: [ConfigListKey<ProviderConfiguration>] = [
        .scalars("domains", \.domains),
    ]

    /// Keys of one `bounces.reason_overrides[]` entry.
    static let reasonOverride: [ConfigKey<BounceReasonOverride>] = [
        .scalar("reason", \.reason),
        .scalar("action", \.action),
    ]

    /// Keys of one `bounces.mailboxes[]` entry.
    static let mailbox: [ConfigKey<MailboxConfiguration>] = [
        .url("url", \.url),
        .scalar("starttls", \.starttls),
        .scalar("tls_verify", \.tlsVerify),
        .scalar("tls_ca_file", \.tlsCAFile),
        .scalar("processed", \.processed),
        .scalar("unprocessed", \.unprocessed),
    ]
}
