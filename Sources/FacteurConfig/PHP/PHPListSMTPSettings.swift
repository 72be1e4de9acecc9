import Foundation
import PHPList

/// PHPList's outgoing SMTP relay for campaigns: `PHPMAILERBLASTHOST`/`PHPMAILERBLASTPORT` or else
/// `PHPMAILERHOST` (hosts separated by `;`)/`PHPMAILERPORT`, `PHPMAILER_SECURE`, `$phpmailer_smtpuser`
/// and `$phpmailer_smtppassword`.
public struct PHPListSMTPSettings: Sendable, Equatable {
    public enum Security: String, Sendable, Equatable {
        /// `false` or unset: plain SMTP; PHPMailer still upgrades with STARTTLS when offered (SMTPAutoTLS).
        case none
        /// 'ssl': TLS from the first byte (smtps).
        case ssl
        /// 'tls': STARTTLS, failing without it.
        case tls

        init(_ value: PHPValue?) {
            switch value?.stringValue?.lowercased() {
            case "ssl": self = .ssl
            case "tls": self = .tls
            default: self = .none
            }
        }
    }

    public var hosts: [PHPListSMTPHost]
    /// AUTH credentials; both set or both nil (PHPList authenticates only when both are non-empty).
    public var user: String?
    public var password: String?
}

/// One entry of `PHPMAILERHOST`: "host", "host:port" or PHPMailer's "tls://host:port".
public struct PHPListSMTPHost: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var security: PHPListSMTPSettings.Security

    init?(entry: String, defaultPort: Int, defaultSecurity: PHPListSMTPSettings.Security) {
        var rest = Substring(entry)
        security = defaultSecurity
        if let schemeEnd = rest.range(of: "://") {
            security = PHPListSMTPSettings.Security(.string(String(rest[..<schemeEnd.lowerBound])))
            rest = rest[schemeEnd.upperBound...]
        }
        let (host, port) = PHPListConfigFile.splitHostPort(String(rest))
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port ?? defaultPort
    }
}
