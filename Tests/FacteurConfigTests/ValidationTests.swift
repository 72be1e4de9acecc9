import Testing
@testable import FacteurConfig

@Suite struct ValidationTests {
    func base() -> FacteurConfiguration {
        var config = FacteurConfiguration()
        config.database.url = "mysql://phplist:secret@127.0.0.1/phplist"
        config.relays = [RelayConfiguration(name: "relay-a", url: "smtp://127.0.0.1:2525")]
        return config
    }

    @Test func aSoundConfigurationHasNoProblems() {
        #expect(base().validate() == [])
    }

    @Test func verpWithoutSecretIsReported() {
        var config = base()
        config.compose.verp = true
        #expect(config.validate().map(\.message)
            == ["compose.verp is true but bounces.verp_secret is empty: VERP addresses cannot be signed"])
        #expect(config.validate().first?.severity == .error)
        config.bounces.verpSecret = "a-long-enough-secret-value"
        #expect(config.validate() == [])
    }

    @Test func publicHTTPListenerNeedsAToken() {
        var config = base()
        config.http.listen = "0.0.0.0:8870"
        #expect(config.validate().map(\.key) == ["http.token"])
        config.http.token = "t"
        #expect(config.validate() == [])
        config.http.token = ""
        config.http.listen = "[::1]:8870"
        #expect(config.validate() == [])
        config.http.listen = "nonsense"
        #expect(config.validate().map(\.key) == ["http.listen"])
    }

    @Test func basicAuthAlsoProtectsAPublicListener() {
        var config = base()
        config.http.listen = "0.0.0.0:8870"
        config.http.basicAuth = "prometheus:s3cret"
        #expect(config.validate() == [])
        #expect(config.http.basicAuthCredentials?.user == "prometheus")
        #expect(config.http.basicAuthCredentials?.password == "s3cret")
        config.http.basicAuth = "no-colon"
        #expect(config.validate().map(\.key) == ["http.basic_auth"])
        config.http.basicAuth = ":empty-user"
        #expect(config.validate().map(\.key) == ["http.basic_auth"])
    }

    @Test func relayProblemsNameTheRelay() {
        var config = base()
        config.relays.append(RelayConfiguration(name: "web", url: "http://example.org"))
        config.relays[0].weight = 0
        let messages = config.validate().map(\.message)
        #expect(messages.contains("relays[0] (relay-a): weight must be greater than 0, found 0"))
        #expect(messages.contains("relays[1] (web): url scheme 'http' is not smtp or smtps (http://example.org)"))
    }

    @Test func unknownMailboxSchemeIsReported() {
        var config = base()
        config.bounces.mailboxes = [MailboxConfiguration(url: "ftp://u:pw@host/x"), MailboxConfiguration(url: "maildir:///srv/Maildir")]
        let problems = config.validate()
        #expect(problems.map(\.key) == ["bounces.mailboxes[0].url"])
        #expect(problems.first?.message.contains("scheme 'ftp' is unknown") == true)
        #expect(problems.first?.message.contains("pw") == false)
    }

    @Test func emptyRelaysIsAWarningOnly() {
        var config = base()
        config.relays = []
        #expect(config.validate().map(\.severity) == [.warning])
    }

    @Test func partialDKIMIsReported() {
        var config = base()
        config.compose.dkim.domain = "example.org"
        #expect(config.validate().first?.message.contains("missing: selector, key_file") == true)
    }

    @Test func databaseWithoutNameIsReported() {
        var config = base()
        config.database.url = "mysql://root:pw@127.0.0.1:13306"
        #expect(config.validate().map(\.message) == ["database.url (mysql://root:****@127.0.0.1:13306) names no database: add /NAME after the host"])
    }

    @Test func skippedPHPStatementsAreWarnings() throws {
        let directory = try ScratchDirectory()
        let php = try directory.write("config.php", "<?php\n$database_name = 'n';\nif ($x) { $database_name = 'm'; }\n")
        var config = try FacteurConfiguration.load(configFile: nil, phplistConfigPath: php, environment: [:])
        config.relays = base().relays
        #expect(config.validate().map(\.description)
            == ["warning: \(php):3: statement starting with 'if' not evaluated; settings inside it are ignored"])
    }
}
