import Foundation
import PHPList

/// Typed views of the settings Facteur takes from PHPList, with PHPList 3.6's defaults where it has one.
extension PHPListConfigFile {
    public func variable(_ name: String) -> PHPValue? { variables[name] }
    public func constant(_ name: String) -> PHPValue? { constants[name] }

    /// A variable as a non-empty string; `nil` when unset, empty or `null`.
    func nonEmptyString(_ name: String) -> String? {
        guard let text = variables[name]?.stringValue, !text.isEmpty else { return nil }
        return text
    }

    // MARK: - Database

    /// `$database_host` without a `:port` suffix.
    public var databaseHost: String? {
        guard let host = nonEmptyString("database_host") else { return nil }
        return Self.splitHostPort(host).host
    }

    /// `$database_port`, or the port of a `$database_host` written "host:port".
    public var databasePort: Int? {
        if let port = variables["database_port"], port != .null, let number = port.intValue, number > 0 {
            return number
        }
        return nonEmptyString("database_host").flatMap { Self.splitHostPort($0).port }
    }

    public var databaseName: String? { nonEmptyString("database_name") }
    public var databaseUser: String? { nonEmptyString("database_user") }
    public var databasePassword: String? { variables["database_password"]?.stringValue }

    /// `mysql://user:password@host:port/name`, percent-encoded; `nil` without a host or database name.
    public var databaseURL: String? {
        guard let name = databaseName else { return nil }
        var url = "mysql://"
        if let user = databaseUser {
            url += ServiceURL.encodeUserInfo(user)
            if let password = databasePassword, !password.isEmpty {
                url += ":" + ServiceURL.encodeUserInfo(password)
            }
            url += "@"
        }
        url += ServiceURL.bracketedHost(databaseHost ?? "localhost")
        if let port = databasePort { url += ":\(port)" }
        return url + "/" + ServiceURL.encodePathSegment(name)
    }

    // MARK: - Tables, envelope, attachments

    /// `$table_prefix`, PHPList's default "phplist_".
    public var tablePrefix: String { variables["table_prefix"]?.stringValue ?? "phplist_" }
    /// `$usertable_prefix`, PHPList's default "phplist_user_".
    public var userTablePrefix: String { variables["usertable_prefix"]?.stringValue ?? "phplist_user_" }
    /// `$message_envelope`: the envelope sender (MAIL FROM) of campaign mail.
    public var messageEnvelope: String? { nonEmptyString("message_envelope") }
    /// `$attachment_repository`: the folder attachment files are stored in.
    public var attachmentRepository: String? { nonEmptyString("attachment_repository") }

    // MARK: - Bounces

    /// `$bounce_unsubscribe_threshold` (also PHPList's old spelling `treshold`), default 3.
    public var bounceUnsubscribeThreshold: Int {
        (variables["bounce_unsubscribe_threshold"] ?? variables["bounce_unsubscribe_treshold"])?.intValue ?? 3
    }

    /// `BLACKLIST_EMAIL_ON_BOUNCE`: consecutive bounces after which an address is blacklisted, default 50.
    public var blacklistEmailOnBounce: Int { constants["BLACKLIST_EMAIL_ON_BOUNCE"]?.intValue ?? 50 }

    /// `$bounce_mailbox_purge`, PHPList's default true.
    public var bounceMailboxPurge: Bool { variables["bounce_mailbox_purge"]?.boolValue ?? true }
    /// `$bounce_mailbox_purge_unprocessed`, PHPList's default true.
    public var bounceMailboxPurgeUnprocessed: Bool { variables["bounce_mailbox_purge_unprocessed"]?.boolValue ?? true }

    /// The bounce mailbox settings; `nil` when neither a POP/IMAP host nor an mbox path is set.
    public var bounceMailbox: PHPListBounceMailbox? {
        let protocolName = nonEmptyString("bounce_protocol")?.lowercased() ?? "pop"
        if protocolName == "mbox" {
            guard let path = nonEmptyString("bounce_mailbox") else { return nil }
            return .mbox(path: path)
        }
        guard let host = nonEmptyString("bounce_mailbox_host") else { return nil }
        let names = (nonEmptyString("bounce_mailbox_name") ?? "INBOX")
            .split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return .remote(PHPListRemoteMailbox(
            host: host,
            port: PHPListMailboxPort(spec: nonEmptyString("bounce_mailbox_port") ?? "110/pop3/notls"),
            user: variables["bounce_mailbox_user"]?.stringValue ?? "",
            password: variables["bounce_mailbox_password"]?.stringValue ?? "",
            folders: names.isEmpty ? ["INBOX"] : names
        ))
    }

    // MARK: - Sending

    /// PHPMailer's SMTP settings for campaign mail; `nil` when no SMTP host is set (PHPList then uses mail()).
    ///
    /// Like PHPList's mailer, `PHPMAILERBLASTHOST`/`PHPMAILERBLASTPORT` (both defined, host not empty) win
    /// over `PHPMAILERHOST`/`PHPMAILERPORT` for campaigns, and AUTH is used only when both
    /// `$phpmailer_smtpuser` and `$phpmailer_smtppassword` are non-empty.
    public var smtp: PHPListSMTPSettings? {
        let hostList: String
        let defaultPort: Int
        if let blastHost = constants["PHPMAILERBLASTHOST"]?.stringValue, !blastHost.isEmpty,
           let blastPort = constants["PHPMAILERBLASTPORT"]?.intValue {
            hostList = blastHost
            defaultPort = blastPort
        } else if let host = constants["PHPMAILERHOST"]?.stringValue, !host.isEmpty {
            hostList = host
            defaultPort = constants["PHPMAILERPORT"]?.intValue ?? 25
        } else {
            return nil
        }
        let secure = PHPListSMTPSettings.Security(constants["PHPMAILER_SECURE"])
        let hosts = hostList.split(separator: ";").compactMap { entry -> PHPListSMTPHost? in
            PHPListSMTPHost(entry: entry.trimmingCharacters(in: .whitespaces), defaultPort: defaultPort, defaultSecurity: secure)
        }
        guard !hosts.isEmpty else { return nil }
        let user = nonEmptyString("phpmailer_smtpuser")
        let password = variables["phpmailer_smtppassword"].flatMap { $0.boolValue ? $0.stringValue : nil }
        let authenticates = user != nil && password != nil
        return PHPListSMTPSettings(hosts: hosts, user: authenticates ? user : nil, password: authenticates ? password : nil)
    }

    /// The queue batch and throttle constants, with PHPList's defaults.
    public var queue: PHPListQueueSettings {
        PHPListQueueSettings(
            batchSize: constants["MAILQUEUE_BATCH_SIZE"]?.intValue ?? 0,
            batchPeriod: constants["MAILQUEUE_BATCH_PERIOD"]?.intValue ?? 3600,
            throttle: constants["MAILQUEUE_THROTTLE"]?.intValue ?? 0,
            autoThrottle: constants["MAILQUEUE_AUTOTHROTTLE"]?.boolValue ?? false,
            useDomainThrottle: constants["USE_DOMAIN_THROTTLE"]?.boolValue ?? false,
            domainBatchSize: constants["DOMAIN_BATCH_SIZE"]?.intValue ?? 1,
            domainBatchPeriod: constants["DOMAIN_BATCH_PERIOD"]?.intValue ?? 120,
            // PHPList refuses to send when TEST is not defined: its default is 1.
            testMode: constants["TEST"]?.boolValue ?? true
        )
    }

    /// "host:port" → ("host", port); IPv6 in brackets; a non-numeric suffix (a socket path) stays in the host.
    static func splitHostPort(_ text: String) -> (host: String, port: Int?) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        guard let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon,
              let port = Int(text[text.index(after: colon)...]) else {
            return (text, nil)
        }
        return (String(text[..<colon]), port)
    }
}
