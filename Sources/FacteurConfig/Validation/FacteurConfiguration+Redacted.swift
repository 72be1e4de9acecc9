import PHPList

extension FacteurConfiguration: CustomStringConvertible {
    /// Every key and its effective value, one `path: value` line each, passwords and tokens replaced
    /// by `****`. Safe for logs and `facteur check --show`.
    public var redacted: String {
        var lines = ConfigurationKeys.scalars.map { "\($0.path): \(YAMLReader.quoted($0.render(self)))" }
        for list in ConfigurationKeys.lists {
            let elements = list.render(self)
            if elements.isEmpty {
                lines.append("\(list.path): []")
            } else {
                lines += elements.enumerated().map { "\(list.path)[\($0.offset)]: \($0.element)" }
            }
        }
        if !phplist.configPHP.isEmpty {
            let queue = phplist.queue
            lines += [
                "phplist.attachment_repository: \(YAMLReader.quoted(phplist.attachmentRepository))",
                "phplist.bounce_unsubscribe_threshold: \(phplist.bounceUnsubscribeThreshold)",
                "phplist.blacklist_email_on_bounce: \(phplist.blacklistEmailOnBounce)",
                "phplist.bounce_mailbox_purge: \(phplist.bounceMailboxPurge)",
                "phplist.bounce_mailbox_purge_unprocessed: \(phplist.bounceMailboxPurgeUnprocessed)",
                "phplist.mailqueue_batch_size: \(queue.batchSize)",
                "phplist.mailqueue_batch_period: \(queue.batchPeriod)",
                "phplist.mailqueue_throttle: \(queue.throttle)",
                "phplist.mailqueue_autothrottle: \(queue.autoThrottle)",
                "phplist.use_domain_throttle: \(queue.useDomainThrottle)",
                "phplist.domain_batch_size: \(queue.domainBatchSize)",
                "phplist.domain_batch_period: \(queue.domainBatchPeriod)",
                "phplist.test: \(queue.testMode)",
            ]
        }
        return lines.joined(separator: "\n")
    }

    public var description: String { redacted }
}

extension RelayConfiguration: CustomStringConvertible {
    /// "name (smtp://user:****@host:port)".
    public var description: String { "\(name) (\(Redaction.url(url)))" }
}

extension MailboxConfiguration: CustomStringConvertible {
    public var description: String { Redaction.url(url) }
}

extension DatabaseConfiguration: CustomStringConvertible {
    public var description: String { Redaction.url(url) }
}

extension HTTPConfiguration: CustomStringConvertible {
    public var description: String {
        "listen \(listen), token \(token.isEmpty ? "unset" : "set"), basic_auth \(basicAuth.isEmpty ? "unset" : "set")"
    }
}

extension BounceConfiguration: CustomStringConvertible {
    public var description: String {
        "mailboxes [\(mailboxes.map(\.description).joined(separator: ", "))], policy \(policy.rawValue), "
            + "listen \(listen.isEmpty ? "off" : listen), verp_secret \(verpSecret.isEmpty ? "unset" : "set")"
    }
}

extension PHPListConfigFile: CustomStringConvertible {
    /// Names of what was read, with values of password-like settings hidden.
    public var description: String {
        func show(_ name: String, _ value: PHPValue) -> String {
            let lowered = name.lowercased()
            let secret = lowered.contains("password") || lowered.contains("secret") || lowered.contains("pass")
            return "\(name) = " + (secret ? Redaction.mask : (value.stringValue.map { "'\($0)'" } ?? "array"))
        }
        let variableLines = variables.keys.sorted().map { "$" + show($0, variables[$0]!) }
        let constantLines = constants.keys.sorted().map { show($0, constants[$0]!) }
        return ([path + ":"] + variableLines + constantLines).joined(separator: "\n  ")
    }
}
