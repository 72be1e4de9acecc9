import FacteurConfig
import Relaying
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
        let relays = try configuration.relays.map {
            WorkerRelay(smtp: try SMTPRelayConfiguration(configured: $0), descriptor: RelayDescriptor($0))
        }
        var settings = WorkerSettings(relay: smtp, connections: relays.reduce(0) { $0 + $1.descriptor.maxConnections },
                                      envelopeSender: envelope.isEmpty ? nil : envelope,
                                      attachmentRepository: configuration.phplist.attachmentRepository,
                                      useManualTextPart: manualText,
                                      personaliseSubject: configuration.compose.personaliseSubject)
        settings.relays = relays
        var pool = RelayPoolState.Settings()
        pool.controller.startRate = configuration.throttle.startRate
        settings.relaying = RelayingOptions(providers: ProviderTable(configured: configuration.throttle.providers),
                                            phplistQueue: configuration.phplist.queue, pool: pool,
                                            retry: RetrySchedule(configuration.retry))
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
