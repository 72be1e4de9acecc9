import Testing
@testable import FacteurConfig

@Suite struct MergeTests {
    static let phpSource = """
    <?php
    $database_host = 'php-db';
    $database_name = 'phplist';
    $database_user = 'phplist';
    $database_password = 'php-secret';
    $table_prefix = 'php_';
    $usertable_prefix = 'php_user_';
    $message_envelope = 'php-bounces@example.org';
    $attachment_repository = '/srv/attachments';
    define('PHPMAILERHOST', 'smtp.example.org;backup.example.org:2525');
    define('PHPMAILERPORT', 587);
    define('PHPMAILER_SECURE', 'tls');
    $phpmailer_smtpuser = 'mailer';
    $phpmailer_smtppassword = 'pw';
    $bounce_protocol = 'pop';
    $bounce_mailbox_host = 'pop.example.org';
    $bounce_mailbox_user = 'bounces';
    $bounce_mailbox_password = 'bpw';
    $bounce_mailbox_port = '995/pop3/ssl/novalidate-cert';
    $bounce_mailbox_purge = 0;
    $bounce_unsubscribe_threshold = 5;
    define('BLACKLIST_EMAIL_ON_BOUNCE', 7);
    define('MAILQUEUE_BATCH_SIZE', 500);
    define('USE_DOMAIN_THROTTLE', 1);
    define('TEST', 0);
    """

    @Test func phplistConfigAloneGivesACompleteConfiguration() throws {
        let directory = try ScratchDirectory()
        let php = try directory.write("config.php", Self.phpSource)
        let config = try FacteurConfiguration.load(configFile: nil, phplistConfigPath: php, environment: [:])

        #expect(config.database.url == "mysql://phplist:php-secret@php-db/phplist")
        #expect(config.database.tablePrefix == "php_")
        #expect(config.database.userTablePrefix == "php_user_")
        #expect(config.compose.envelopeSender == "php-bounces@example.org")
        #expect(config.relays.map(\.url) == ["smtp://mailer:pw@smtp.example.org:587", "smtp://mailer:pw@backup.example.org:2525"])
        #expect(config.relays.map(\.name) == ["smtp.example.org:587", "backup.example.org:2525"])
        #expect(config.relays.allSatisfy { $0.starttls == .required })
        #expect(config.bounces.mailboxes.map(\.url) == ["pop3s://bounces:bpw@pop.example.org:995"])
        #expect(config.bounces.mailboxes.first?.tlsVerify == false)
        #expect(config.phplist.configPHP == php)
        #expect(config.phplist.attachmentRepository == "/srv/attachments")
        #expect(config.phplist.bounceUnsubscribeThreshold == 5)
        #expect(config.phplist.blacklistEmailOnBounce == 7)
        #expect(config.phplist.bounceMailboxPurge == false)
        #expect(config.phplist.bounceMailboxPurgeUnprocessed == true)
        #expect(config.phplist.queue.batchSize == 500)
        #expect(config.phplist.queue.useDomainThrottle)
        #expect(config.phplist.queue.testMode == false)
    }

    @Test func yamlOverridesPHPAndEnvironmentOverridesYAML() throws {
        let directory = try ScratchDirectory()
        try directory.write("config.php", Self.phpSource)
        // A relative config_php is relative to the YAML file.
        let yaml = try directory.write("facteur.yaml", """
        phplist:
          config_php: config.php
        database:
          table_prefix: yaml_
        compose:
          envelope_sender: yaml-bounces@example.org
        relays:
          - url: smtp://yaml-relay:25
        http:
          listen: 127.0.0.1:1111
        """)
        let config = try FacteurConfiguration.load(configFile: yaml, phplistConfigPath: nil, environment: [
            "FACTEUR_COMPOSE_ENVELOPE_SENDER": "env-bounces@example.org",
        ])
        // From config.php where neither file nor environment says otherwise.
        #expect(config.database.url == "mysql://phplist:php-secret@php-db/phplist")
        #expect(config.database.userTablePrefix == "php_user_")
        #expect(config.bounces.mailboxes.count == 1)
        #expect(config.phplist.configPHP == directory.url.appendingPathComponent("config.php").path)
        // YAML over config.php: scalars and whole lists.
        #expect(config.database.tablePrefix == "yaml_")
        #expect(config.relays.map(\.url) == ["smtp://yaml-relay:25"])
        #expect(config.http.listen == "127.0.0.1:1111")
        // Environment over YAML.
        #expect(config.compose.envelopeSender == "env-bounces@example.org")
    }

    @Test func commandLinePathWinsOverTheFileSetting() throws {
        let directory = try ScratchDirectory()
        let php = try directory.write("real.php", "<?php\n$database_host = 'cli-db';\n$database_name = 'n';\n")
        let yaml = try directory.write("facteur.yaml", "phplist:\n  config_php: /nonexistent/config.php\n")
        let config = try FacteurConfiguration.load(configFile: yaml, phplistConfigPath: php, environment: [:])
        #expect(config.database.url == "mysql://cli-db/n")
        #expect(config.phplist.configPHP == php)
    }

    @Test func brokenPHPListConfigStopsLoadingWithItsLine() throws {
        let directory = try ScratchDirectory()
        let php = try directory.write("config.php", "<?php\n$database_host = 'h';\n$database_name = 'unterminated;\n")
        #expect(throws: ConfigurationError.phplistConfig(.syntax(file: php, line: 3, expected: "a closing ' for the string that starts here"))) {
            _ = try FacteurConfiguration.load(configFile: nil, phplistConfigPath: php, environment: [:])
        }
    }

    @Test func mailboxURLsFollowTheCClientFlags() {
        func urls(_ spec: String, folders: [String] = ["INBOX"]) -> [MailboxConfiguration] {
            PHPListImport.mailboxes(from: .remote(PHPListRemoteMailbox(
                host: "mail.example.org", port: PHPListMailboxPort(spec: spec), user: "u", password: "p", folders: folders)))
        }
        #expect(urls("110/pop3/notls").map(\.url) == ["pop3://u:p@mail.example.org:110"])
        #expect(urls("110/pop3/notls").first?.starttls == .off)
        #expect(urls("110/pop3/tls").first?.starttls == .required)
        #expect(urls("110/pop3").first?.starttls == .opportunistic)
        #expect(urls("995/pop3/ssl").map(\.url) == ["pop3s://u:p@mail.example.org:995"])
        #expect(urls("993/imap/ssl", folders: ["INBOX", "Junk Mail"]).map(\.url)
            == ["imaps://u:p@mail.example.org:993/INBOX", "imaps://u:p@mail.example.org:993/Junk%20Mail"])
        // c-client's default service is IMAP.
        #expect(urls("143").map(\.url) == ["imap://u:p@mail.example.org:143/INBOX"])
        #expect(PHPListImport.mailboxes(from: .mbox(path: "/var/mail/bounces")).map(\.url) == ["mbox:///var/mail/bounces"])
    }

    @Test func sslRelayBecomesSMTPS() {
        let relays = PHPListImport.relays(from: PHPListSMTPSettings(
            hosts: [PHPListSMTPHost(entry: "relay.example.org", defaultPort: 465, defaultSecurity: .ssl)!],
            user: nil, password: nil))
        #expect(relays.map(\.url) == ["smtps://relay.example.org:465"])
    }

    @Test func sampleFixtureMergesIntoAWorkingConfiguration() throws {
        let config = try FacteurConfiguration.load(configFile: nil, phplistConfigPath: Fixtures.path("config-sample.php"),
                                                   environment: [:])
        #expect(config.database.url == "mysql://phplist:phplist@127.0.0.1/phplist")
        #expect(config.relays.map(\.url) == ["smtp://127.0.0.1:2525"])
        #expect(config.bounces.mailboxes.map(\.url) == ["pop3://popuser:password@127.0.0.1:1110"])
        #expect(config.compose.envelopeSender == "bounces@example.org")
        #expect(config.validate().filter { $0.severity == .error }.isEmpty)
    }
}
