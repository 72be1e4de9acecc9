import FacteurConfig
import Foundation
import MariaDB
import PHPList
import Relaying

/// Facteur's configuration (`bounces.*`, PHPList's `$bounce_*` settings, `throttle.providers`) turned
/// into what the mailbox passes, the listener and the provider statistics need.
public enum BounceRunSettings {
    /// A setting that cannot be used, named as in the configuration.
    public struct Problem: Error, CustomStringConvertible {
        public let key: String
        public let message: String
        public var description: String { "\(key): \(message)" }
    }

    /// One source per `bounces.mailboxes[]` entry (config.php's mailbox when the file gives none).
    /// Empty `processed`/`unprocessed` follow `$bounce_mailbox_purge` / `$bounce_mailbox_purge_unprocessed`.
    public static func mailboxSources(_ configuration: FacteurConfiguration) throws(Problem) -> [MailboxSource] {
        var sources: [MailboxSource] = []
        for (index, entry) in configuration.bounces.mailboxes.enumerated() {
            let key = "bounces.mailboxes[\(index)]"
            func disposition(_ name: String, _ text: String, purge: Bool) throws(Problem) -> MailboxDisposition {
                guard let setting = MailboxAfterProcessing.resolve(text, purge: purge) else {
                    throw Problem(key: "\(key).\(name)", message: "'\(text)' is not delete, keep, flag, flag:KEYWORD or move:FOLDER")
                }
                switch setting {
                case .delete: return .delete
                case .keep: return .keep
                case .flag(let flag): return .flag(flag)
                case .move(let folder): return .move(folder: folder)
                }
            }
            let startTLS: MailboxEndpoint.StartTLS = switch entry.starttls {
            case .required: .required
            case .opportunistic: .opportunistic
            case .off: .off
            }
            sources.append(MailboxSource(
                url: entry.url, startTLS: startTLS, tlsVerify: entry.tlsVerify,
                tlsCAFile: entry.tlsCAFile.isEmpty ? nil : entry.tlsCAFile,
                processed: try disposition("processed", entry.processed, purge: configuration.phplist.bounceMailboxPurge),
                unprocessed: try disposition("unprocessed", entry.unprocessed,
                                             purge: configuration.phplist.bounceMailboxPurgeUnprocessed)))
        }
        return sources
    }

    /// The inbound listener's settings, or nil when `bounces.listen` is empty.
    public static func listener(_ configuration: FacteurConfiguration,
                                hostname: String = ProcessInfo.processInfo.hostName) throws(Problem) -> ListenerIntake.Configuration? {
        let bounces = configuration.bounces
        guard !bounces.listen.isEmpty else { return nil }
        guard let address = BounceListener.address(bounces.listen) else {
            throw Problem(key: "bounces.listen", message: "'\(bounces.listen)' is not host:port (e.g. 127.0.0.1:2526)")
        }
        var limits = BounceListener.Limits()
        limits.connectionsPerMinute = max(1, bounces.listenRate)
        return ListenerIntake.Configuration(
            host: address.host, port: address.port,
            server: SMTPServerStateMachine.Settings(hostname: hostname, domains: bounces.domains, maxSize: bounces.maxSize),
            limits: limits)
    }

    /// The provider mapping of `facteur_provider_stats` when that table exists (`facteur migrate`
    /// creates it), else nil: bounces are then processed without provider statistics.
    public static func providerStats(_ configuration: FacteurConfiguration, pool: MariaDBPool) async throws -> ProviderTable? {
        let rows = try await pool.query(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'facteur_provider_stats'")
        guard try rows.first?.decode(0, as: Int.self) == 1 else { return nil }
        return ProviderTable(configured: configuration.throttle.providers)
    }

    /// PHPList's config `domain` (campaign Message-IDs' right-hand side), or nil when unset.
    public static func messageIDDomain(_ database: PHPListDatabase) async throws -> String? {
        let rows = try await database.pool.query("SELECT value FROM \(database.tables.config) WHERE item = 'domain'")
        guard let value = try rows.first?.decode("value", as: String?.self) ?? nil else { return nil }
        let domain = value.trimmingCharacters(in: .whitespaces)
        return domain.isEmpty ? nil : domain
    }
}
