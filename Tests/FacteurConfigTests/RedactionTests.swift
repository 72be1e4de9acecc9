import Testing
@testable import FacteurConfig

@Suite struct RedactionTests {
    @Test func dumpShowsEveryKeyButNoSecret() throws {
        let config = try loadYAML(YAMLConfigurationTests.fullYAML)
        let dump = config.redacted
        for secret in [":secret@", "p%40ss", "p@ss", "0123456789abcdef0123", "tok\n"] {
            #expect(!dump.contains(secret), "\(secret) leaked")
        }
        #expect(!dump.hasSuffix("tok"))
        #expect(dump.contains("database.url: mysql://phplist:****@127.0.0.1:3306/phplist\n"))
        #expect(dump.contains("http.token: ****\n"))
        #expect(dump.contains("bounces.verp_secret: ****\n"))
        #expect(dump.contains("phplist.config_php: \"\"\n"))
        #expect(dump.contains("relays[1]: { name: relay-b.example.org:465, url: smtps://user:****@relay-b.example.org, weight: 1,"))
        #expect(dump.contains("bounces.mailboxes[0]: { url: imap://bounces:****@127.0.0.1:10143/INBOX, starttls: opportunistic, tls_verify: true, tls_ca_file: \"\", processed: \"\", unprocessed: \"\" }"))
        for key in ConfigurationKeys.scalars {
            #expect(dump.contains("\n\(key.path): ") || dump.hasPrefix("\(key.path): "), "\(key.path) missing")
        }
        #expect("\(config)" == dump)
    }

    @Test func secretValuesAreNotEchoedInErrors() {
        let fromFile = configurationError {
            _ = try loadYAML("database: {url: 'mysql://r@h/d'}\nbounces:\n  verp_secret: [hunter2]\n")
        }
        #expect(fromFile?.description.contains("hunter2") == false)
        #expect(fromFile?.description.contains("bounces.verp_secret") == true)
    }

    @Test func urlsHideTheirPassword() throws {
        let url = try ServiceURL(parsing: "smtps://user%40x:pa%3Ass@[::1]:465/")
        #expect(url.user == "user@x")
        #expect(url.password == "pa:ss")
        #expect(url.host == "::1")
        #expect(url.redacted == "smtps://user%40x:****@[::1]:465/")
        #expect("\(url)" == url.redacted)
        #expect(Redaction.url("not a url with password") == "****")
        #expect(RelayConfiguration(name: "a", url: "smtp://u:pw@h:25").description == "a (smtp://u:****@h:25)")
    }

    @Test func phpConfigDescriptionHidesPasswords() throws {
        let php = try PHPListConfigFile(contentsOfFile: Fixtures.path("config-sample.php"))
        #expect(php.description.contains("$database_password = ****"))
        #expect(php.description.contains("$bounce_mailbox_password = ****"))
        #expect(php.description.contains("$database_user = 'phplist'"))
    }
}
