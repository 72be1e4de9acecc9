import ArgumentParser
import Bounces
import Compose
import FacteurConfig
import Foundation
import Logging
import PHPList

/// `facteur bounces [process]`: every configured mailbox (`bounces.mailboxes`, or PHPList's `$bounce_*`
/// settings) read once, each under its lease and PHPList's `processbounces` lock; `--mbox FILE` /
/// `--maildir DIR` process just that file or folder (left unmodified).
struct BouncesProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Process the bounces of every configured mailbox once, or of one mbox file or Maildir folder."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "An mbox file to read (it is not modified).")
    var mbox: String?

    @Option(help: "A Maildir folder to read (new/ and cur/; files are not moved).")
    var maildir: String?

    @Option(help: "Bounces processed at the same time (default: database.max_connections for --mbox/--maildir; 1 for mailboxes, so bounce ids follow the mailbox's order as in PHPList).")
    var concurrency: Int?

    func validate() throws {
        if mbox != nil && maildir != nil { throw ValidationError("give --mbox or --maildir, not both") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be 1 or more") }
    }

    func run() async throws {
        let runtime = try Runtime.load(options)
        guard mbox != nil || maildir != nil else { return try await processMailboxes(runtime) }
        let messages: [(source: String, bytes: [UInt8])]
        do {
            messages = try BounceFiles.read(mbox: mbox, maildir: maildir)
        } catch {
            Console.problem("\(error)")
            throw ReportedFailure()
        }
        let pool = try runtime.makePool()
        let database = PHPListDatabase(pool: pool, tables: runtime.tables)
        let width = concurrency ?? runtime.configuration.database.maxConnections
        let report: BounceBatchReport
        do {
            let processor = try await BounceSettingsMapping.processor(runtime, database: database)
            report = try await BounceBatch(processor: processor, database: database, logger: runtime.logger)
                .run(messages, concurrency: width)
        } catch {
            await pool.shutdown()
            if !(error is ReportedFailure) { Console.problem("\(error)") }
            throw ReportedFailure()
        }
        await pool.shutdown()
        print(report.summaryLine)
    }

    /// One line per mailbox on standard output; each failure also on standard error, and the exit
    /// status is non-zero when any mailbox failed or could not be processed.
    private func processMailboxes(_ runtime: Runtime) async throws {
        let sources: [MailboxSource]
        do {
            sources = try BounceRunSettings.mailboxSources(runtime.configuration)
        } catch {
            Console.problem("\(error)")
            throw ReportedFailure()
        }
        guard !sources.isEmpty else {
            Console.problem("no bounce mailbox configured: set bounces.mailboxes (or PHPList's $bounce_mailbox_host / "
                + "$bounce_mailbox in config.php), or give --mbox FILE or --maildir DIR")
            throw ReportedFailure()
        }
        let pool = try runtime.makePool()
        let database = PHPListDatabase(pool: pool, tables: runtime.tables)
        let reports: [MailboxPassReport]
        do {
            let processor = try await BounceSettingsMapping.processor(runtime, database: database)
            let identity = SendProcessLock.facteurIdentity(pid: ProcessInfo.processInfo.processIdentifier,
                                                           host: ProcessInfo.processInfo.hostName)
            reports = await MailboxRound(sources: sources, processor: processor, workerID: identity,
                                         concurrency: concurrency ?? 1, logger: runtime.logger,
                                         crashPoint: ProcessInfo.processInfo.environment["FACTEUR_TEST_CRASH_AT"]).run()
        } catch {
            await pool.shutdown()
            if !(error is ReportedFailure) { Console.problem("\(error)") }
            throw ReportedFailure()
        }
        await pool.shutdown()
        for report in reports { print(report.summaryLine) }
        let failed = reports.filter {
            switch $0.ending {
            case .failed, .busy: true
            case .completed, .leasedElsewhere: false
            }
        }
        for report in failed { Console.problem(report.summaryLine) }
        if !failed.isEmpty {
            Console.problem("\(failed.count) of \(reports.count) bounce mailboxes not processed: "
                + failed.map(\.mailbox).joined(separator: ", "))
            throw ReportedFailure()
        }
    }
}

/// Reads the messages of an mbox file or a Maildir folder.
enum BounceFiles {
    struct Unreadable: Error, CustomStringConvertible {
        let path: String
        let why: String
        var description: String { "cannot read \(path): \(why)" }
    }

    static func read(mbox: String?, maildir: String?) throws -> [(source: String, bytes: [UInt8])] {
        if let mbox {
            guard let data = FileManager.default.contents(atPath: mbox) else { throw Unreadable(path: mbox, why: "no such file or not readable") }
            return MboxReader.messages(in: [UInt8](data)).enumerated().map { (source: "mbox:\(mbox)#\($0.offset + 1)", bytes: $0.element) }
        }
        if let maildir {
            var found: [(source: String, bytes: [UInt8])] = []
            var sawFolder = false
            for sub in ["cur", "new"] {
                let folder = URL(fileURLWithPath: maildir).appendingPathComponent(sub)
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
                sawFolder = true
                for name in names.sorted() where !name.hasPrefix(".") {
                    let path = folder.appendingPathComponent(name).path
                    guard let data = FileManager.default.contents(atPath: path) else { throw Unreadable(path: path, why: "not readable") }
                    found.append((source: "maildir:\(path)", bytes: [UInt8](data)))
                }
            }
            guard sawFolder else { throw Unreadable(path: maildir, why: "no cur/ or new/ folder: not a Maildir") }
            return found
        }
        throw Unreadable(path: "(none)", why: "give --mbox FILE or --maildir DIR")
    }
}

/// `bounces.*`, `compose.verp` and PHPList's thresholds → the processor's settings.
enum BounceSettingsMapping {
    static func settings(from runtime: Runtime) throws -> BounceProcessingSettings {
        let configuration = runtime.configuration
        var settings = BounceProcessingSettings(
            policy: configuration.bounces.policy == .phplist ? .phplist : .facteur,
            unsubscribeThreshold: configuration.phplist.bounceUnsubscribeThreshold,
            blacklistThreshold: configuration.phplist.blacklistEmailOnBounce,
            crashPoint: ProcessInfo.processInfo.environment["FACTEUR_TEST_CRASH_AT"])
        for (position, override) in configuration.bounces.reasonOverrides.enumerated() {
            guard let reason = BounceReason(rawValue: override.reason.lowercased()) else {
                Console.problem("bounces.reason_overrides[\(position)].reason: '\(override.reason)' is not a reason; one of "
                    + BounceReason.allCases.map(\.rawValue).joined(separator: ", "))
                throw ReportedFailure()
            }
            settings.reasonOverrides[reason] = BounceProcessingSettings.Action(rawValue: override.action.rawValue) ?? .count
        }
        if configuration.compose.verp {
            let base = configuration.compose.envelopeSender
            guard !configuration.bounces.verpSecret.isEmpty,
                  let verp = VERPConfig.make(base: base, secret: configuration.bounces.verpSecret) else {
                Console.problem("compose.verp is on but compose.envelope_sender ('\(base)') or bounces.verp_secret is missing: "
                    + "bounces cannot be verified")
                throw ReportedFailure()
            }
            settings.verp = verp
        }
        return settings
    }
}

extension BounceSettingsMapping {
    /// The processor for this installation, counting bounces per provider when `facteur migrate` created
    /// `facteur_provider_stats`.
    static func processor(_ runtime: Runtime, database: PHPListDatabase) async throws -> BounceProcessor {
        var settings = try settings(from: runtime)
        settings.providerStats = try await BounceRunSettings.providerStats(runtime.configuration, pool: database.pool)
        settings.messageIDDomain = try await BounceRunSettings.messageIDDomain(database)
        if settings.providerStats == nil {
            runtime.logger.warning("facteur_provider_stats is missing (run facteur migrate): bounces are not counted per provider")
        }
        return BounceProcessor(database: database, settings: settings, logger: runtime.logger)
    }
}

enum VERPConfig {
    static func make(base: String, secret: String) -> VERPAddress.Config? {
        VERPAddress.Config(baseAddress: base, secret: Array(secret.utf8))
    }
}

