import FacteurConfig
import SMTP

extension WorkerSettings {
    /// Settings from Facteur's configuration: the first relay, the envelope sender, the attachment folder,
    /// and USE_MANUAL_TEXT_PART from PHPList's config.php when one is configured.
    public static func from(_ configuration: FacteurConfiguration) throws -> WorkerSettings {
        guard let relay = configuration.relays.first else { throw WorkerConfigurationError.noRelay }
        var smtp = try SMTPRelayConfiguration(url: relay.url, name: relay.name.isEmpty ? nil : relay.name)
        smtp.startTLS = SMTPRelayConfiguration.StartTLSMode(rawValue: relay.starttls.rawValue) ?? .opportunistic
        smtp.tlsCAFile = relay.tlsCAFile.isEmpty ? nil : relay.tlsCAFile
        smtp.tlsVerify = relay.tlsVerify
        smtp.messagesPerConnection = relay.messagesPerConnection > 0 ? relay.messagesPerConnection : nil
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
