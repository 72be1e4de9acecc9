import PHPList
import Testing

@testable import FacteurConfig

@Suite struct PHPConfigReaderTests {
    @Test func phplistSampleConfigIsReadCompletely() throws {
        let php = try PHPListConfigFile(contentsOfFile: Fixtures.path("config-sample.php"))
        #expect(php.skippedStatements.isEmpty)
        #expect(php.databaseHost == "127.0.0.1")
        #expect(php.databasePort == nil)
        #expect(php.databaseName == "phplist")
        #expect(php.databaseUser == "phplist")
        #expect(php.databasePassword == "phplist")
        #expect(php.databaseURL == "mysql://phplist:phplist@127.0.0.1/phplist")
        #expect(php.tablePrefix == "phplist_")
        #expect(php.userTablePrefix == "phplist_user_")
        #expect(php.messageEnvelope == "bounces@example.org")
        #expect(php.attachmentRepository == "/var/lib/phplist/attachments")
        #expect(php.variables["pageroot"] == .string("/lists"))

        let smtp = try #require(php.smtp)
        #expect(smtp.hosts == [PHPListSMTPHost(entry: "127.0.0.1", defaultPort: 2525, defaultSecurity: .none)!])
        #expect(smtp.hosts[0].port == 2525)
        #expect(smtp.user == nil)

        guard case .remote(let mailbox)? = php.bounceMailbox else {
            Issue.record("expected a POP mailbox, got \(String(describing: php.bounceMailbox))")
            return
        }
        #expect(mailbox.host == "127.0.0.1")
        #expect(mailbox.user == "popuser")
        #expect(mailbox.password == "password")
        #expect(mailbox.port.port == 1110)
        #expect(mailbox.port.service == .pop3)
        #expect(mailbox.port.encryption == .none)
        #expect(php.bounceMailboxPurge == false)
        #expect(php.bounceMailboxPurgeUnprocessed == false)
        #expect(php.bounceUnsubscribeThreshold == 3)
        #expect(php.blacklistEmailOnBounce == 50)

        #expect(php.queue == PHPListQueueSettings(batchSize: 0, batchPeriod: 3600, throttle: 0, autoThrottle: false,
                                                  useDomainThrottle: false, domainBatchSize: 1, domainBatchPeriod: 120,
                                                  testMode: false))
        #expect(php.constants["HASH_ALGO"] == .string("sha256"))
        #expect(php.constants["MANUALLY_PROCESS_QUEUE"] == .int(1))
    }

    @Test func commentsAnywhereAreIgnored() throws {
        let php = try PHPListConfigFile(parsing: """
        <?php # hash comment
        /* block
           comment with 'quote' and $fake = 1; */
        $a /* inline */ = /* here too */ 'x'; // trailing
        # $b = 'commented out';
        $c = 'has // and # inside'; /** doc */
        define(/* name */ 'D', 4 /* value */);
        // a line comment ends at the closing tag ?>
        <html>ignored $e = 1;</html>
        <?php $f = 2 ?>
        """, path: "odd.php")
        #expect(php.variables == ["a": .string("x"), "c": .string("has // and # inside"), "f": .int(2)])
        #expect(php.constants == ["D": .int(4)])
    }

    @Test func stringEscapesFollowPHP() throws {
        let php = try PHPListConfigFile(parsing: #"""
        <?php
        $single = 'it\'s a \\ back\slash \n';
        $double = "tab\there \"quoted\" \$notvar \x41\101 \u{e9}";
        $host = 'mail.example.org';
        $interpolated = "bounces@$host and {$host}";
        define("DQ", "value");
        """#, path: "escapes.php")
        #expect(php.variables["single"] == .string(#"it's a \ back\slash \n"#))
        #expect(php.variables["double"] == .string("tab\there \"quoted\" $notvar AA é"))
        #expect(php.variables["interpolated"] == .string("bounces@mail.example.org and mail.example.org"))
        #expect(php.constants["DQ"] == .string("value"))
    }

    @Test func arraysBothSyntaxesWithKeys() throws {
        let php = try PHPListConfigFile(parsing: """
        <?php
        $list = array('a', 'b',);
        $map = ['socket' => ['tcp_nodelay' => true], 5 => 'five', 'six'];
        """, path: "arrays.php")
        #expect(php.variables["list"] == .array([
            PHPArrayElement(key: .int(0), value: .string("a")), PHPArrayElement(key: .int(1), value: .string("b")),
        ]))
        let map = try #require(php.variables["map"])
        #expect(map[.string("socket")]?[.string("tcp_nodelay")] == .bool(true))
        #expect(map[.int(5)] == .string("five"))
        #expect(map[.int(6)] == .string("six"))
    }

    @Test func ifBlocksFunctionsAndIncludesAreSkippedAndListed() throws {
        let php = try PHPListConfigFile(parsing: """
        <?php
        $before = 1;
        if (getenv('STAGE') == 'prod') {
            $database_host = 'prod-db';
            if ($x) { $nested = true; }
        } elseif (true) {
            $database_host = 'other';
        } else {
            $database_host = 'dev-db';
        }
        include_once __DIR__ . '/local.php';
        $computed = getenv('DB_PASSWORD');
        function helper($a) { return $a; }
        $after = 2;
        """, path: "blocks.php")
        #expect(php.variables == ["before": .int(1), "after": .int(2)])
        #expect(php.skippedStatements.map(\.line) == [3, 6, 8, 11, 12, 13])
        #expect(php.skippedStatements.first?.start == "if")
    }

    @Test func concatenationAndArithmeticOfKnownValuesAreEvaluated() throws {
        let php = try PHPListConfigFile(parsing: """
        <?php
        $domain = 'example.org';
        $message_envelope = 'bounces' . '@' . $domain;
        $message_envelope .= '';
        define('BASE', '/var/lib');
        $attachment_repository = BASE . "/phplist/" . 'attachments';
        define('MAILQUEUE_BATCH_PERIOD', 60 * 60);
        define('MAILQUEUE_THROTTLE', -1 + 2);
        $unknown = UNDEFINED_CONSTANT . 'x';
        """, path: "concat.php")
        #expect(php.messageEnvelope == "bounces@example.org")
        #expect(php.attachmentRepository == "/var/lib/phplist/attachments")
        #expect(php.queue.batchPeriod == 3600)
        #expect(php.queue.throttle == 1)
        #expect(php.variables["unknown"] == nil)
        #expect(php.skippedStatements.map(\.line) == [9])
    }

    @Test func heredocAndNowdocAreStrings() throws {
        let php = try PHPListConfigFile(parsing: """
        <?php
        $name = 'World';
        $heredoc = <<<EOT
            Hello $name
              indented
            EOT;
        $nowdoc = <<<'EOT'
        raw $name\\n
        EOT;
        $after = 'ok';
        """, path: "heredoc.php")
        #expect(php.variables["heredoc"] == .string("Hello World\n  indented"))
        #expect(php.variables["nowdoc"] == .string("raw $name\\n"))
        #expect(php.variables["after"] == .string("ok"))
    }

    @Test func hostWithPortAndSeveralSMTPHosts() throws {
        let php = try PHPListConfigFile(parsing: """
        <?php
        $database_host = 'db.example.org:3307';
        $database_name = 'lists';
        $database_user = 'us er';
        $database_password = 'p@ss:word/';
        define('PHPMAILERHOST', 'smtp1.example.org; smtp2.example.org:587;ssl://smtp3.example.org:465');
        define('PHPMAILERPORT', '2525');
        define('PHPMAILER_SECURE', 'tls');
        $phpmailer_smtpuser = 'mailer';
        $phpmailer_smtppassword = 'se:cret';
        $bounce_mailbox_port = '995/pop3/ssl/novalidate-cert';
        $bounce_mailbox_host = 'pop.example.org';
        $bounce_mailbox_name = 'INBOX, Bounces';
        """, path: "hosts.php")
        #expect(php.databaseHost == "db.example.org")
        #expect(php.databasePort == 3307)
        #expect(php.databaseURL == "mysql://us%20er:p%40ss%3Aword%2F@db.example.org:3307/lists")
        let url = try ServiceURL(parsing: try #require(php.databaseURL))
        #expect(url.user == "us er" && url.password == "p@ss:word/" && url.path == "/lists")

        let smtp = try #require(php.smtp)
        #expect(smtp.hosts.map(\.host) == ["smtp1.example.org", "smtp2.example.org", "smtp3.example.org"])
        #expect(smtp.hosts.map(\.port) == [2525, 587, 465])
        #expect(smtp.hosts.map(\.security) == [.tls, .tls, .ssl])
        #expect(smtp.user == "mailer" && smtp.password == "se:cret")

        guard case .remote(let mailbox)? = php.bounceMailbox else {
            Issue.record("expected a remote mailbox")
            return
        }
        #expect(mailbox.port.port == 995)
        #expect(mailbox.port.encryption == .implicitTLS)
        #expect(!mailbox.port.validatesCertificate)
        #expect(mailbox.folders == ["INBOX", "Bounces"])
    }

    @Test func phplistDefaultsApplyWhenSettingsAreMissing() throws {
        let php = try PHPListConfigFile(parsing: "<?php\n$database_name = 'x';\n", path: "min.php")
        #expect(php.tablePrefix == "phplist_")
        #expect(php.userTablePrefix == "phplist_user_")
        #expect(php.smtp == nil)
        #expect(php.bounceMailbox == nil)
        #expect(php.bounceMailboxPurge)
        #expect(php.queue.testMode, "PHPList's TEST defaults to 1")
        #expect(php.queue.domainBatchPeriod == 120)
        #expect(php.databaseURL == "mysql://localhost/x")
    }

    @Test func mboxProtocolUsesThePath() throws {
        let php = try PHPListConfigFile(parsing: """
        <?php
        $bounce_protocol = 'mbox';
        $bounce_mailbox = '/var/mail/list bounces';
        """, path: "mbox.php")
        #expect(php.bounceMailbox == .mbox(path: "/var/mail/list bounces"))
    }

    @Test(arguments: [
        ("<?php\n$a = 1;\n$b = 'never closed;\n$c = 3;\n", 3, "a closing ' for the string that starts here"),
        ("<?php\n$a = \"open\n", 2, "a closing \" for the string that starts here"),
        ("<?php\n/* unclosed\n comment\n", 2, "'*/' to close the comment that starts here"),
        ("<?php\n$a = 1;\nif ($a) {\n  $b = 2;\n", 3, "'}' to close the '{' opened here"),
        ("<?php\n$a = array(1, 2;\n", 2, "')' to close the '(' opened here"),
        ("<?php\n$a = <<<EOT\nnever ends\n", 2, "the closing 'EOT' of the heredoc that starts here"),
        ("<?php\nfoo(1]);\n", 2, "')' to close the '(' opened at line 2, found ']'"),
    ])
    func malformedFileErrorNamesFileLineAndExpectation(source: String, line: Int, expected: String) {
        #expect(throws: PHPConfigError.syntax(file: "bad.php", line: line, expected: expected)) {
            _ = try PHPListConfigFile(parsing: source, path: "bad.php")
        }
    }

    @Test func malformedErrorReadsWell() {
        let error = PHPConfigError.syntax(file: "/etc/phplist/config.php", line: 12, expected: "a closing ' for the string that starts here")
        #expect(error.description == "/etc/phplist/config.php:12: expected a closing ' for the string that starts here")
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: PHPConfigError.self) {
            _ = try PHPListConfigFile(contentsOfFile: "/nonexistent/config.php")
        }
    }

    @Test func valueConversionsFollowPHP() {
        #expect(PHPValue.string("110/pop3/notls").intValue == 110)
        #expect(PHPValue.string("abc").intValue == 0)
        #expect(PHPValue.string("0").boolValue == false)
        #expect(PHPValue.string("false").boolValue == true)
        #expect(PHPValue.bool(true).stringValue == "1")
        #expect(PHPValue.bool(false).stringValue == "")
        #expect(PHPValue.double(3.0).stringValue == "3")
    }
}

@Suite struct PHPListSMTPChoiceTests {
    @Test func blastHostWinsForCampaigns() throws {
        let php = try PHPListConfigFile(parsing: """
        <?php
        define('PHPMAILERHOST', 'test.example.org');
        define('PHPMAILERPORT', 25);
        define('PHPMAILERBLASTHOST', 'blast.example.org');
        define('PHPMAILERBLASTPORT', 2526);
        """, path: "blast.php")
        let smtp = try #require(php.smtp)
        #expect(smtp.hosts.map(\.host) == ["blast.example.org"])
        #expect(smtp.hosts.map(\.port) == [2526])
    }

    @Test func userWithoutPasswordMeansNoAuth() throws {
        let php = try PHPListConfigFile(parsing: """
        <?php
        define('PHPMAILERHOST', 'smtp.example.org');
        $phpmailer_smtpuser = 'mailer';
        $phpmailer_smtppassword = '';
        """, path: "noauth.php")
        let smtp = try #require(php.smtp)
        #expect(smtp.user == nil && smtp.password == nil)
        #expect(smtp.hosts.map(\.port) == [25])
    }
}
