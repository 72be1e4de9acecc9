import FacteurConfig
import SMTP

extension WorkerSettings {
    /// Settings from Facteur's configuration: the first relay, the envelope sender, the attachment folder,
    /// and USE_MANUAL_TEXT_PART from PHPList's config.php when one is configured.
    public static func from(_ configuration: FacteurConfiguration) throws -> WorkerSettings {
        guard let relay = configuration.relays.first else { throw WorkerConfigurationError.noRelay }
        let smtp = try SMTPRelayConfiguration(configured: relay)
        var manualText = false
        if !configuration.phplist.configPHP.isEmpty,
           let php = try? PHPListConfigFile(contentsOfFile: configuration.phplist.configPHP) {
            manualText = php.constant("USE_MANUAL_TEXT_PART")?.boolValue ?? false
        }
        let envelope = configuration.compose.envelopeSender
        return WorkerSettings(relay: smtp, connections: relay.maxConnections,
                              envelopeSender: envelope.isEmpty ? nil : envelope,
                              attachmentRepository: configuration.phplist.attachmentRepository,
                              useManualTextPart: manualText,
                              personaliseSubject: configuration.compose.personaliseSubject)
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
