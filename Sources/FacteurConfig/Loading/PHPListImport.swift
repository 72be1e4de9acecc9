/// Maps PHPList's `config.php` onto Facteur's configuration: the lowest layer above the defaults.
enum PHPListImport {
    static func apply(_ php: PHPListConfigFile, to configuration: inout FacteurConfiguration) {
        if let url = php.databaseURL {
            configuration.database.url = url
        }
        configuration.database.tablePrefix = php.tablePrefix
        configuration.database.userTablePrefix = php.userTablePrefix
        if let envelope = php.messageEnvelope {
            configuration.compose.envelopeSender = envelope
        }
        if let smtp = php.smtp {
            configuration.relays = relays(from: smtp)
        }
        if let mailbox = php.bounceMailbox {
            configuration.bounces.mailboxes = mailboxes(from: mailbox)
        }

        configuration.phplist.configPHP = php.path
        configuration.phplist.attachmentRepository = php.attachmentRepository ?? ""
        configuration.phplist.bounceUnsubscribeThreshold = php.bounceUnsubscribeThreshold
        configuration.phplist.blacklistEmailOnBounce = php.blacklistEmailOnBounce
        configuration.phplist.bounceMailboxPurge = php.bounceMailboxPurge
        configuration.phplist.bounceMailboxPurgeUnprocessed = php.bounceMailboxPurgeUnprocessed
        configuration.phplist.queue = php.queue
        configuration.phplist.skippedStatements = php.skippedStatements
    }

    /// One relay per `PHPMAILERHOST` entry: 'ssl' → smtps://, 'tls' → STARTTLS required,
    /// otherwise STARTTLS when offered, as PHPMailer's SMTPAutoTLS does.
    static func relays(from smtp: PHPListSMTPSettings) -> [RelayConfiguration] {
        smtp.hosts.map { host in
            var url = host.security == .ssl ? "smtps://" : "smtp://"
            if let user = smtp.user {
                url += ServiceURL.encodeUserInfo(user)
                if let password = smtp.password, !password.isEmpty {
                    url += ":" + ServiceURL.encodeUserInfo(password)
                }
                url += "@"
            }
            let address = ServiceURL.bracketedHost(host.host) + ":\(host.port)"
            var relay = RelayConfiguration(name: address, url: url + address)
            relay.starttls = host.security == .tls ? .required : .opportunistic
            return relay
        }
    }

    /// POP3/IMAP from the c-client port flags (one IMAP URL per folder), or mbox:///path.
    static func mailboxes(from mailbox: PHPListBounceMailbox) -> [MailboxConfiguration] {
        switch mailbox {
        case .mbox(let path):
            return [MailboxConfiguration(url: "mbox://" + ServiceURL.encodePath(path))]
        case .remote(let remote):
            let secure = remote.port.encryption == .implicitTLS
            let scheme = remote.port.service == .pop3 ? (secure ? "pop3s" : "pop3") : (secure ? "imaps" : "imap")
            var base = scheme + "://"
            if !remote.user.isEmpty {
                base += ServiceURL.encodeUserInfo(remote.user)
                if !remote.password.isEmpty { base += ":" + ServiceURL.encodeUserInfo(remote.password) }
                base += "@"
            }
            let (host, hostPort) = PHPListConfigFile.splitHostPort(remote.host)
            base += ServiceURL.bracketedHost(host)
            if let port = remote.port.port ?? hostPort { base += ":\(port)" }
            // POP3 has one mailbox per account: folder names mean nothing to it.
            let paths = remote.port.service == .pop3 ? [""] : remote.folders.map { "/" + ServiceURL.encodePathSegment($0) }
            return paths.map { path in
                var entry = MailboxConfiguration(url: base + path)
                entry.tlsVerify = remote.port.validatesCertificate
                switch remote.port.encryption {
                case .implicitTLS, .startTLSOpportunistic: entry.starttls = .opportunistic
                case .startTLSRequired: entry.starttls = .required
                case .none: entry.starttls = .off
                }
                return entry
            }
        }
    }
}
