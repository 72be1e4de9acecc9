import FacteurConfig
import SMTP

extension WorkerSettings {
    /// Settings from Facteur's configuration: the first relay, the envelope sender, the attachment folder,
    /// and USE_MANUAL_TEXT_PART from PHPList's config.php when one is configured.
    public static func from(_ configuration: FacteurConfiguration) throws -> WorkerSettings {
        guard let relay = configuration.relays.first else { throw WorkerConfigurationError.noRelay }
        let smtp = try SMTPRelayConfiguration(configured: relay)
        let envelope = configuration.compose.envelopeSender
        var settings = WorkerSettings(relay: smtp, connections: relay.maxConnections,
                                      envelopeSender: envelope.isEmpty ? nil : envelope,
                                      attachmentRepository: configuration.phplist.attachmentRepository,
                                      personaliseSubject: configuration.compose.personaliseSubject)
        if !configuration.phplist.configPHP.isEmpty,
           let php = try? PHPListConfigFile(contentsOfFile: configuration.phplist.configPHP) {
            settings.useManualTextPart = php.constant("USE_MANUAL_TEXT_PART")?.boolValue ?? false
            settings.sendQueueReport = php.constant("SEND_QUEUE_PROCESSING_REPORT")?.boolValue ?? true
            if let scheme = php.variables["admin_scheme"]?.stringValue, !scheme.isEmpty { settings.adminScheme = scheme }
            if let root = php.variables["pageroot"]?.stringValue { settings.adminPages = root + "/admin" }
        }
        return settings
    }
}

public enum WorkerConfigurationError: Error, CustomStringConvertible, Sendable {
    case noRelay

    public var description: String {
        switch self {
        case .noRelay: return "no relay configured: add a relays[] entry (url: smtp://host:port) to send campaigns"
        }
    }
}
