import Testing
@testable import FacteurConfig

@Suite struct EnvironmentOverrideTests {
    let yaml = """
    database:
      url: mysql://r@h/file
      max_connections: 4
    compose:
      personalise_subject: false
      dkim: { selector: file }
    """

    @Test func stringIntBoolAndNestedKeysAreOverridden() throws {
        let config = try loadYAML(yaml, environment: [
            "FACTEUR_DATABASE_URL": "mysql://r@h/env",
            "FACTEUR_DATABASE_MAX_CONNECTIONS": "16",
            "FACTEUR_COMPOSE_PERSONALISE_SUBJECT": "true",
            "FACTEUR_COMPOSE_DKIM_SELECTOR": "env",
            "FACTEUR_BOUNCES_POLICY": "phplist",
            "FACTEUR_LOGGING_LEVEL": "TRACE",
        ])
        #expect(config.database.url == "mysql://r@h/env")
        #expect(config.database.maxConnections == 16)
        #expect(config.compose.personaliseSubject)
        #expect(config.compose.dkim.selector == "env")
        #expect(config.bounces.policy == .phplist)
        #expect(config.logging.level == .trace)
    }

    @Test func environmentAloneCanConfigureTheDatabase() throws {
        let config = try FacteurConfiguration.load(configFile: nil, phplistConfigPath: nil,
                                                   environment: ["FACTEUR_DATABASE_URL": "mysql://r@h/db"])
        #expect(config.database.url == "mysql://r@h/db")
    }

    @Test func emptyStringClearsAStringKey() throws {
        let config = try loadYAML("database: {url: 'mysql://r@h/d'}\nhttp: {listen: '127.0.0.1:1'}\n",
                                  environment: ["FACTEUR_HTTP_LISTEN": ""])
        #expect(config.http.listen == "")
    }

    @Test func badValueNamesTheVariable() {
        let error = configurationError {
            _ = try loadYAML(yaml, environment: ["FACTEUR_DATABASE_MAX_CONNECTIONS": "lots"])
        }
        #expect(error == .invalidEnvironment(variable: "FACTEUR_DATABASE_MAX_CONNECTIONS", key: "database.max_connections",
                                             expected: "an integer", found: "'lots'"))
        #expect(error?.description
            == "environment variable FACTEUR_DATABASE_MAX_CONNECTIONS (database.max_connections): expected an integer, found 'lots'")
    }

    @Test func badBoolNamesTheVariable() {
        let error = configurationError {
            _ = try loadYAML(yaml, environment: ["FACTEUR_COMPOSE_VERP": "sure"])
        }
        #expect(error?.description.contains("FACTEUR_COMPOSE_VERP") == true)
        #expect(error?.description.contains("true or false") == true)
    }

    @Test func everyScalarKeyHasItsVariableName() {
        let names = Set(ConfigurationKeys.scalars.map(\.environmentVariable))
        #expect(names.contains("FACTEUR_DATABASE_URL"))
        #expect(names.contains("FACTEUR_COMPOSE_PERSONALISE_SUBJECT"))
        #expect(names.contains("FACTEUR_COMPOSE_DKIM_SELECTOR"))
        #expect(names.contains("FACTEUR_PHPLIST_CONFIG_PHP"))
        #expect(names.count == ConfigurationKeys.scalars.count)
        // Lists are file-only.
        #expect(!names.contains("FACTEUR_RELAYS"))
        #expect(!names.contains("FACTEUR_BOUNCES_DOMAINS"))
    }
}

@Suite struct EnvironmentTypoTests {
    @Test func misspeltVariableIsReportedWithASuggestion() {
        let problems = FacteurConfiguration.environmentProblems([
            "FACTEUR_DATABSE_URL": "mysql://r@h/d",
            "FACTEUR_CONFIG": "/etc/facteur.yaml",
            "FACTEUR_TEST_MYSQL_URL": "mysql://root@127.0.0.1:13306",
            "FACTEUR_HTTP_TOKEN": "t",
            "PATH": "/usr/bin",
        ])
        #expect(problems.map(\.description)
            == ["warning: environment variable FACTEUR_DATABSE_URL is not a Facteur setting and is ignored (did you mean FACTEUR_DATABASE_URL?)"])
    }
}
