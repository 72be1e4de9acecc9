extension FacteurConfiguration {
    /// Semantic checks beyond types: values that load but would not work, in words an operator can act on.
    /// Empty means nothing to report; `facteur check` prints each problem on one line.
    public func validate() -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        validateDatabase(into: &problems)
        validateRelays(into: &problems)
        validateRelaying(into: &problems)
        validateCompose(into: &problems)
        validateBounces(into: &problems)
        validateHTTP(into: &problems)
        validatePHPList(into: &problems)
        return problems
    }

    private func validateDatabase(into problems: inout [ConfigurationProblem]) {
        if database.url.isEmpty {
            problems.append(.init(.error, key: "database.url", "no database configured: set database.url or phplist.config_php"))
        } else {
            switch database.parsedURL {
            case .failure(let error):
                problems.append(.init(.error, key: "database.url", "database.url is not usable: \(error)"))
            case .success(let url):
                if url.scheme != "mysql" && url.scheme != "mariadb" {
                    problems.append(.init(.error, key: "database.url",
                                          "database.url scheme '\(url.scheme)' is not mysql or mariadb"))
                }
                if url.host.isEmpty {
                    problems.append(.init(.error, key: "database.url", "database.url (\(url.redacted)) has no host"))
                }
                if url.path.count <= 1 {
                    problems.append(.init(.error, key: "database.url",
                                          "database.url (\(url.redacted)) names no database: add /NAME after the host"))
                }
            }
        }
        if database.maxConnections < 1 {
            problems.append(.init(.error, key: "database.max_connections",
                                  "database.max_connections must be at least 1, found \(database.maxConnections)"))
        }
    }

    private func validateRelays(into problems: inout [ConfigurationProblem]) {
        if relays.isEmpty {
            problems.append(.init(.warning, key: "relays",
                                  "no relay configured (relays is empty and config.php has no PHPMAILERHOST): campaigns cannot be sent"))
        }
        var names: [String: Int] = [:]
        for (index, relay) in relays.enumerated() {
            let label = "relays[\(index)] (\(relay.name))"
            func problem(_ key: String, _ message: String) {
                problems.append(.init(.error, key: "relays[\(index)].\(key)", "\(label): \(message)"))
            }
            if let first = names[relay.name] {
                problem("name", "name '\(relay.name)' is already used by relays[\(first)]: logs and metrics could not tell them apart")
            } else {
                names[relay.name] = index
            }
            switch relay.parsedURL {
            case .failure(let error):
                problem("url", relay.url.isEmpty ? "url is empty" : "url is not usable: \(error)")
            case .success(let url):
                if url.scheme != "smtp" && url.scheme != "smtps" {
                    problem("url", "url scheme '\(url.scheme)' is not smtp or smtps (\(url.redacted))")
                }
                if url.host.isEmpty {
                    problem("url", "url has no host (\(url.redacted))")
                }
                if url.user != nil, url.password == nil {
                    problem("url", "url has a user but no password for AUTH (\(url.redacted))")
                }
            }
            if relay.weight <= 0 {
                problem("weight", "weight must be greater than 0, found \(relay.weight)")
            }
            if relay.maxConnections < 1 {
                problem("max_connections", "max_connections must be at least 1, found \(relay.maxConnections)")
            }
            if relay.messagesPerConnection < 1 {
                problem("messages_per_connection",
                        "messages_per_connection must be at least 1, found \(relay.messagesPerConnection)")
            }
            if relay.maxRate < 0 {
                problem("max_rate", "max_rate must be 0 (no limit) or more, found \(relay.maxRate.configText)")
            }
            if relay.dailyCap < 0 {
                problem("daily_cap", "daily_cap must be 0 (no limit) or more, found \(relay.dailyCap)")
            }
            if !relay.tlsCAFile.isEmpty, !FileReading.isReadable(relay.tlsCAFile) {
                problem("tls_ca_file", "tls_ca_file \(relay.tlsCAFile) cannot be read")
            }
            if !relay.auth.isEmpty, !["plain", "login", "cram-md5", "xoauth2"].contains(relay.auth.lowercased()) {
                problem("auth", "auth must be plain, login, cram-md5 or xoauth2, found '\(relay.auth)'")
            }
            let timeouts: [(String, Double)] = [
                ("timeout_connect", relay.timeoutConnect), ("timeout_command", relay.timeoutCommand),
                ("timeout_data_initiation", relay.timeoutDataInitiation), ("timeout_data_block", relay.timeoutDataBlock),
                ("timeout_data_termination", relay.timeoutDataTermination), ("timeout_idle", relay.timeoutIdle),
            ]
            for (key, seconds) in timeouts where !(seconds > 0) {
                problem(key, "\(key) must be a number of seconds greater than 0, found \(seconds.configText)")
            }
        }
    }

    private func validateCompose(into problems: inout [ConfigurationProblem]) {
        if compose.verp, bounces.verpSecret.isEmpty {
            problems.append(.init(.error, key: "compose.verp",
                                  "compose.verp is true but bounces.verp_secret is empty: VERP addresses cannot be signed"))
        }
        let dkim = compose.dkim
        if dkim.isEnabled {
            let missing = [("domain", dkim.domain), ("selector", dkim.selector), ("key_file", dkim.keyFile)]
                .filter { $0.1.isEmpty }.map(\.0)
            if !missing.isEmpty {
                problems.append(.init(.error, key: "compose.dkim",
                                      "compose.dkim needs domain, selector and key_file together; missing: \(missing.joined(separator: ", "))"))
            }
            if !dkim.keyFile.isEmpty, !FileReading.isReadable(dkim.keyFile) {
                problems.append(.init(.error, key: "compose.dkim.key_file",
                                      "compose.dkim.key_file \(dkim.keyFile) cannot be read: messages would go out unsigned"))
            }
        }
    }

    static let networkMailboxSchemes: Set<String> = ["imap", "imaps", "pop3", "pop3s"]
    static let fileMailboxSchemes: Set<String> = ["mbox", "maildir"]

    private func validateBounces(into problems: inout [ConfigurationProblem]) {
        for (index, mailbox) in bounces.mailboxes.enumerated() {
            let key = "bounces.mailboxes[\(index)].url"
            do throws(ServiceURL.ParseError) {
                let url = try ServiceURL(parsing: mailbox.url)
                if Self.networkMailboxSchemes.contains(url.scheme) {
                    if url.host.isEmpty {
                        problems.append(.init(.error, key: key, "\(key) has no host (\(url.redacted))"))
                    }
                } else if Self.fileMailboxSchemes.contains(url.scheme) {
                    if !url.host.isEmpty || url.path.isEmpty {
                        problems.append(.init(.error, key: key,
                                              "\(key) must be \(url.scheme):///absolute/path (three slashes), found \(url.redacted)"))
                    }
                } else {
                    problems.append(.init(.error, key: key,
                                          "\(key) scheme '\(url.scheme)' is unknown: use imap, imaps, pop3, pop3s, mbox or maildir"))
                }
            } catch {
                problems.append(.init(.error, key: key, mailbox.url.isEmpty ? "\(key) is empty" : "\(key) is not usable: \(error)"))
            }
            for (name, value) in [("processed", mailbox.processed), ("unprocessed", mailbox.unprocessed)]
            where MailboxAfterProcessing.resolve(value, purge: true) == nil {
                let entryKey = "bounces.mailboxes[\(index)].\(name)"
                problems.append(.init(.error, key: entryKey,
                                      "\(entryKey) '\(value)' is not delete, keep, flag, flag:KEYWORD or move:FOLDER"))
            }
        }
        if !(bounces.pollInterval > 0) {
            problems.append(.init(.error, key: "bounces.poll_interval",
                                  "bounces.poll_interval must be a positive number of seconds, found \(bounces.pollInterval)"))
        }
        if bounces.listenRate <= 0 {
            problems.append(.init(.error, key: "bounces.listen_rate",
                                  "bounces.listen_rate must be 1 or more connections per minute, found \(bounces.listenRate)"))
        }
        if !bounces.verpSecret.isEmpty, bounces.verpSecret.count < 16 {
            problems.append(.init(.warning, key: "bounces.verp_secret",
                                  "bounces.verp_secret is shorter than 16 characters: VERP signatures are easy to forge"))
        }
        if !bounces.listen.isEmpty {
            if ListenAddress(bounces.listen) == nil {
                problems.append(.init(.error, key: "bounces.listen",
                                      "bounces.listen '\(bounces.listen)' is not host:port (e.g. 127.0.0.1:2526)"))
            }
            if bounces.domains.isEmpty {
                problems.append(.init(.warning, key: "bounces.domains",
                                      "bounces.listen is set but bounces.domains is empty: the listener accepts bounces for any domain"))
            }
        }
        if bounces.maxSize <= 0 {
            problems.append(.init(.error, key: "bounces.max_size", "bounces.max_size must be greater than 0, found \(bounces.maxSize)"))
        }
    }

    private func validateHTTP(into problems: inout [ConfigurationProblem]) {
        guard !http.listen.isEmpty else { return }
        guard let address = ListenAddress(http.listen) else {
            problems.append(.init(.error, key: "http.listen", "http.listen '\(http.listen)' is not host:port (e.g. 127.0.0.1:8870)"))
            return
        }
        if !address.isLoopback, http.token.isEmpty, http.basicAuth.isEmpty {
            problems.append(.init(.error, key: "http.token",
                                  "http.listen is \(http.listen), not a loopback address, but neither http.token nor http.basic_auth is set: anyone who reaches it could control Facteur"))
        }
        if !http.basicAuth.isEmpty, http.basicAuthCredentials == nil {
            problems.append(.init(.error, key: "http.basic_auth", "http.basic_auth must be user:password with a non-empty user and password"))
        }
    }

    private func validatePHPList(into problems: inout [ConfigurationProblem]) {
        guard !phplist.configPHP.isEmpty else { return }
        for statement in phplist.skippedStatements {
            problems.append(.init(.warning, key: "phplist.config_php",
                                  "\(phplist.configPHP):\(statement.line): statement starting with '\(statement.start)' not evaluated; settings inside it are ignored"))
        }
    }
}
