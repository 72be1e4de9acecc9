import Bounces
import Foundation
import MariaDB
import PHPList

/// `facteur run`'s bounce service from the configuration: the configured mailboxes every
/// `bounces.poll_interval` seconds and the `bounces.listen` listener; nil when neither is configured.
enum BounceServiceSetup {
    static func service(_ runtime: Runtime, pool: MariaDBPool, identity: String) async throws -> BounceService? {
        let configuration = runtime.configuration
        let sources: [MailboxSource]
        let listener: ListenerIntake.Configuration?
        do {
            sources = try BounceRunSettings.mailboxSources(configuration)
            listener = try BounceRunSettings.listener(configuration)
        } catch {
            await pool.shutdown()
            Console.problem("\(error)")
            throw ReportedFailure()
        }
        guard !sources.isEmpty || listener != nil else { return nil }
        let database = PHPListDatabase(pool: pool, tables: runtime.tables)
        let processor: BounceProcessor
        do {
            processor = try await BounceSettingsMapping.processor(runtime, database: database)
        } catch {
            await pool.shutdown()
            if !(error is ReportedFailure) { Console.problem("\(error)") }
            throw ReportedFailure()
        }
        let crashPoint = ProcessInfo.processInfo.environment["FACTEUR_TEST_CRASH_AT"]
        // One bounce at a time, in the mailbox's order (as PHPList): bounce ids and duplicate detection
        // follow the order the bounces arrived in, and sending keeps the pool's other connections.
        let round = MailboxRound(sources: sources, processor: processor, workerID: identity, logger: runtime.logger,
                                 crashPoint: crashPoint)
        let intake = listener.map { ListenerIntake(configuration: $0, processor: processor, logger: runtime.logger) }
        let interval = configuration.bounces.pollInterval
        runtime.logger.info("bounce service configured", metadata: [
            "mailboxes": "\(sources.map(\.key).joined(separator: ", "))",
            "listen": "\(configuration.bounces.listen)", "poll_interval": "\(interval)",
        ])
        return BounceService(round: round, listener: intake, processor: processor,
                             pollInterval: .milliseconds(Int(interval * 1000)), logger: runtime.logger)
    }
}
