import Foundation
import Testing
@testable import FacteurConfig

@Suite struct YAMLConfigurationTests {
    static let fullYAML = """
    database:
      url: mysql://phplist:secret@127.0.0.1:3306/phplist
      table_prefix: pl_
      user_table_prefix: pl_user_
      max_connections: 4
    phplist:
      config_php: ""
    relays:
      - name: relay-a
        url: smtp://127.0.0.1:2525
        weight: 3
        max_connections: 2
        messages_per_connection: 50
        max_rate: 12.5
        daily_cap: 10000
        starttls: required
        tls_ca_file: /etc/ssl/ca.pem
        tls_verify: false
      - url: smtps://user:p%40ss@relay-b.example.org
    compose:
      envelope_sender: bounces@example.org
      personalise_subject: true
      verp: true
      version_header: "Facteur 1"
      dkim: { domain: example.org, selector: s1, key_file: /etc/facteur/dkim.pem }
    bounces:
      mailboxes:
        - url: imap://bounces:secret@127.0.0.1:10143/INBOX
        - url: mbox:///var/mail/bounces
          starttls: off
      verp_secret: "0123456789abcdef0123"
      policy: phplist
      listen: 127.0.0.1:2526
      domains: [bounces.example.org, example.org]
      max_size: 1048576
    http:
      listen: 127.0.0.1:9000
      token: tok
    logging:
      level: debug
    """

    @Test func fullFileSetsEveryKey() throws {
        let config = try loadYAML(Self.fullYAML)
        #expect(config.database.url == "mysql://phplist:secret@127.0.0.1:3306/phplist")
        #expect(config.database.tablePrefix == "pl_")
        #expect(config.database.userTablePrefix == "pl_user_")
        #expect(config.database.maxConnections == 4)
        #expect(config.phplist.configPHP == "")

        #expect(config.relays.count == 2)
        let first = config.relays[0]
        #expect(first.name == "relay-a")
        #expect(first.url == "smtp://127.0.0.1:2525")
        #expect(first.weight == 3)
        #expect(first.maxConnections == 2)
        #expect(first.messagesPerConnection == 50)
        #expect(first.maxRate == 12.5)
        #expect(first.dailyCap == 10000)
        #expect(first.starttls == .required)
        #expect(first.tlsCAFile == "/etc/ssl/ca.pem")
        #expect(first.tlsVerify == false)
        // Unset keys of a list entry keep their defaults; the name defaults to host:port.
        let second = config.relays[1]
        #expect(second.name == "relay-b.example.org:465")
        #expect(second.weight == 1)
        #expect(second.starttls == .opportunistic)
        let secondURL = try second.parsedURL.get()
        #expect(secondURL.user == "user")
        #expect(secondURL.password == "p@ss")

        #expect(config.compose.envelopeSender == "bounces@example.org")
        #expect(config.compose.personaliseSubject)
        #expect(config.compose.verp)
        #expect(config.compose.versionHeader == "Facteur 1")
        #expect(config.compose.dkim.domain == "example.org")
        #expect(config.compose.dkim.selector == "s1")
        #expect(config.compose.dkim.keyFile == "/etc/facteur/dkim.pem")

        #expect(config.bounces.mailboxes.map(\.url) == ["imap://bounces:secret@127.0.0.1:10143/INBOX", "mbox:///var/mail/bounces"])
        #expect(config.bounces.mailboxes[1].starttls == .off)
        #expect(config.bounces.verpSecret == "0123456789abcdef0123")
        #expect(config.bounces.policy == .phplist)
        #expect(config.bounces.listen == "127.0.0.1:2526")
        #expect(config.bounces.domains == ["bounces.example.org", "example.org"])
        #expect(config.bounces.maxSize == 1_048_576)
        #expect(config.http.listen == "127.0.0.1:9000")
        #expect(config.http.token == "tok")
        #expect(config.logging.level == .debug)
    }

    @Test func minimalFileKeepsDefaultsForEverythingElse() throws {
        let config = try loadYAML("database:\n  url: mysql://root@127.0.0.1:13306/phplist\n")
        var expected = FacteurConfiguration()
        expected.database.url = "mysql://root@127.0.0.1:13306/phplist"
        #expect(config == expected)
    }

    @Test func defaultsMatchTheDocumentedContract() {
        let config = FacteurConfiguration()
        #expect(config.database.url == "")
        #expect(config.database.tablePrefix == "phplist_")
        #expect(config.database.userTablePrefix == "phplist_user_")
        #expect(config.database.maxConnections == 8)
        #expect(config.relays.isEmpty)
        let relay = RelayConfiguration()
        #expect(relay.weight == 1 && relay.maxConnections == 8 && relay.messagesPerConnection == 100)
        #expect(relay.maxRate == 0 && relay.dailyCap == 0 && relay.starttls == .opportunistic && relay.tlsVerify)
        #expect(config.compose.envelopeSender == "" && !config.compose.personaliseSubject && !config.compose.verp)
        #expect(!config.compose.dkim.isEnabled)
        #expect(config.bounces.policy == .facteur && config.bounces.listen == "" && config.bounces.domains.isEmpty)
        #expect(config.bounces.maxSize == 52_428_800)
        #expect(config.http.listen == "127.0.0.1:8870" && config.http.token == "")
        #expect(config.logging.level == .info)
    }

    @Test func emptySectionsAndNullValuesKeepDefaults() throws {
        let config = try loadYAML("""
        database:
          url: mysql://root@127.0.0.1/phplist
          max_connections: ~
        http:
        relays:
        """)
        #expect(config.database.maxConnections == 8)
        #expect(config.http.listen == "127.0.0.1:8870")
        #expect(config.relays.isEmpty)
    }

    @Test func unknownTopLevelKeyIsAnErrorWithLineAndSuggestion() {
        let error = configurationError {
            _ = try loadYAML("database:\n  url: mysql://root@h/db\nloging:\n  level: debug\n")
        }
        guard case .unknownKey(_, let line, let key, let suggestion)? = error else {
            Issue.record("expected unknownKey, got \(String(describing: error))")
            return
        }
        #expect(line == 3)
        #expect(key == "loging")
        #expect(suggestion == "logging")
        #expect(error!.description.hasSuffix("facteur.yaml:3: unknown key 'loging' (did you mean 'logging'?)"))
    }

    @Test func unknownNestedKeyNamesItsFullPath() {
        let error = configurationError {
            _ = try loadYAML("""
            database:
              url: mysql://root@h/db
            compose:
              dkim:
                domain: example.org
                selectr: s1
            """)
        }
        guard case .unknownKey(_, let line, let key, let suggestion)? = error else {
            Issue.record("expected unknownKey, got \(String(describing: error))")
            return
        }
        #expect(line == 6)
        #expect(key == "compose.dkim.selectr")
        #expect(suggestion == "compose.dkim.selector")
    }

    @Test func unknownKeyInARelayNamesTheEntry() {
        let error = configurationError {
            _ = try loadYAML("""
            database: { url: "mysql://root@h/db" }
            relays:
              - url: smtp://a:25
              - url: smtp://b:25
                wieght: 2
            """)
        }
        guard case .unknownKey(_, let line, let key, let suggestion)? = error else {
            Issue.record("expected unknownKey, got \(String(describing: error))")
            return
        }
        #expect(line == 5)
        #expect(key == "relays[1].wieght")
        #expect(suggestion == "relays[1].weight")
    }

    @Test func typeErrorNamesFileLineKeyAndValue() {
        let error = configurationError {
            _ = try loadYAML("""
            database:
              url: mysql://root@h/db
              max_connections: eight
            """)
        }
        guard case .invalidValue(let file, let line, let key, let expected, let found)? = error else {
            Issue.record("expected invalidValue, got \(String(describing: error))")
            return
        }
        #expect(file.hasSuffix("facteur.yaml"))
        #expect(line == 3)
        #expect(key == "database.max_connections")
        #expect(expected == "an integer")
        #expect(found == "'eight'")
    }

    @Test func badOptionListsTheAllowedValues() {
        let error = configurationError {
            _ = try loadYAML("database: {url: 'mysql://r@h/d'}\nrelays:\n  - url: smtp://a\n    starttls: maybe\n")
        }
        #expect(error?.description.hasSuffix(":4: relays[0].starttls: expected one of required, opportunistic, off, found 'maybe'") == true)
    }

    @Test func mappingWhereAScalarBelongsIsATypeError() {
        let error = configurationError {
            _ = try loadYAML("database:\n  url:\n    host: x\n")
        }
        guard case .invalidValue(_, let line, let key, _, let found)? = error else {
            Issue.record("expected invalidValue, got \(String(describing: error))")
            return
        }
        #expect(line == 2)
        #expect(key == "database.url")
        #expect(found == "a mapping")
    }

    @Test func duplicateKeyIsRefused() {
        let error = configurationError {
            _ = try loadYAML("database:\n  url: mysql://r@h/a\n  url: mysql://r@h/b\n")
        }
        #expect(error == .duplicateKey(file: error.flatMap(Self.file) ?? "", line: 3, key: "database.url", firstLine: 2))
    }

    @Test func yamlSyntaxErrorHasALine() {
        let error = configurationError {
            _ = try loadYAML("database:\n  url: mysql://r@h/a\n  bad: [unclosed\n")
        }
        guard case .yamlSyntax(_, let line, _)? = error else {
            Issue.record("expected yamlSyntax, got \(String(describing: error))")
            return
        }
        #expect(line != nil)
    }

    @Test func missingFileSaysSo() {
        let error = configurationError {
            _ = try FacteurConfiguration.load(configFile: "/nonexistent/facteur.yaml", phplistConfigPath: nil, environment: [:])
        }
        #expect(error == .unreadableFile(file: "/nonexistent/facteur.yaml", reason: "No such file or directory")
            || error == .unreadableFile(file: "/nonexistent/facteur.yaml", reason: "no such file"))
    }

    @Test func configFileComesFromFACTEUR_CONFIGWhenNotGiven() throws {
        let directory = try ScratchDirectory()
        let path = try directory.write("f.yaml", "database:\n  url: mysql://r@h/fromenv\n")
        let config = try FacteurConfiguration.load(configFile: nil, phplistConfigPath: nil, environment: ["FACTEUR_CONFIG": path])
        #expect(config.database.url == "mysql://r@h/fromenv")
    }

    @Test func noDatabaseAnywhereIsAnError() {
        let error = configurationError { _ = try loadYAML("logging:\n  level: info\n") }
        #expect(error == .noDatabase)
        #expect(error?.description == "no database configured: set database.url or phplist.config_php")
    }

    private static func file(of error: ConfigurationError) -> String? {
        if case .duplicateKey(let file, _, _, _) = error { return file }
        return nil
    }
}
