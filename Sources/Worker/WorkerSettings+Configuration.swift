import Compose
import FacteurConfig
import Foundation
import Relaying
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
        if configuration.compose.verp {
            guard !configuration.bounces.verpSecret.isEmpty else { throw WorkerConfigurationError.verpWithoutSecret }
            settings.verpSecret = configuration.bounces.verpSecret
        }
        if !configuration.compose.versionHeader.isEmpty { settings.versionHeader = configuration.compose.versionHeader }
        if configuration.compose.dkim.isEnabled { settings.dkim = try Self.dkimSigner(configuration.compose.dkim) }
        if !configuration.phplist.configPHP.isEmpty,
           let php = try? PHPListConfigFile(contentsOfFile: configuration.phplist.configPHP) {
            settings.useManualTextPart = php.constant("USE_MANUAL_TEXT_PART")?.boolValue ?? false
            settings.sendQueueReport = php.constant("SEND_QUEUE_PROCESSING_REPORT")?.boolValue ?? true
            if let scheme = php.variables["admin_scheme"]?.stringValue, !scheme.isEmpty { settings.adminScheme = scheme }
            if let root = php.variables["pageroot"]?.stringValue { settings.adminPages = root + "/admin" }
        }
        let relays = try configuration.relays.map {
            WorkerRelay(smtp: try SMTPRelayConfiguration(configured: $0), descriptor: RelayDescriptor($0))
        }
        settings.connections = relays.reduce(0) { $0 + $1.descriptor.maxConnections }
        settings.relays = relays
        var pool = RelayPoolState.Settings()
        pool.controller.startRate = configuration.throttle.startRate
        settings.relaying = RelayingOptions(providers: ProviderTable(configured: configuration.throttle.providers),
                                            phplistQueue: configuration.phplist.queue, pool: pool,
                                            retry: RetrySchedule(configuration.retry))
        return settings
    }
}

extension WorkerSettings {
    /// The signer for `compose.dkim`: an RSA or Ed25519 PEM key.
    static func dkimSigner(_ dkim: DKIMConfiguration) throws(WorkerConfigurationError) -> DKIMSigner {
        guard !dkim.domain.isEmpty, !dkim.selector.isEmpty, !dkim.keyFile.isEmpty else {
            throw .dkim("compose.dkim needs domain, selector and key_file together")
        }
        guard let pem = try? String(contentsOfFile: dkim.keyFile, encoding: .utf8) else {
            throw .dkim("cannot read compose.dkim.key_file \(dkim.keyFile)")
        }
        if let signer = try? DKIMSigner.rsa(pem: pem, domain: dkim.domain, selector: dkim.selector) { return signer }
        if let signer = try? DKIMSigner.ed25519(pem: pem, domain: dkim.domain, selector: dkim.selector) { return signer }
        throw .dkim("compose.dkim.key_file \(dkim.keyFile) holds neither an RSA nor an Ed25519 private key (PEM)")
    }
}

public enum WorkerConfigurationError: Error, CustomStringConvertible, Sendable {
    case noRelay
    case verpWithoutSecret
    case dkim(String)

    public var description: String {
        switch self {
        case .noRelay: return "no relay configured: add a relays[] entry (url: smtp://host:port) to send campaigns"
        case .verpWithoutSecret:
            return "compose.verp is true but bounces.verp_secret is empty: set a secret of 16+ characters to sign VERP addresses"
        case .dkim(let reason): return reason
        }
    }
}
