import ArgumentParser
import Bounces
import Compose
import FacteurConfig
import Foundation
import Logging
import PHPList

/// `facteur bounces process --mbox FILE | --maildir DIR`: processes the bounces of one file or folder as
/// PHPList's processbounces would, holding PHPList's `processbounces` lock for the batch.
struct BouncesProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Process bounces from an mbox file or a Maildir folder into PHPList's tables."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "An mbox file to read (it is not modified).")
    var mbox: String?

    @Option(help: "A Maildir folder to read (new/ and cur/; files are not moved).")
    var maildir: String?

    @Option(help: "Bounces processed at the same time (default: database.max_connections).")
    var concurrency: Int?

    func validate() throws {
        if mbox != nil && maildir != nil { throw ValidationError("give --mbox or --maildir, not both") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be 1 or more") }
    }

    func run() async throws {
        let runtime = try Runtime.load(options)
        let messages: [(source: String, bytes: [UInt8])]
        do {
            messages = try BounceFiles.read(mbox: mbox, maildir: maildir)
        } catch {
            Console.problem("\(error)")
            throw ReportedFailure()
        }
        let settings = try BounceSettingsMapping.settings(from: runtime)
        let pool = try runtime.makePool()
        let database = PHPListDatabase(pool: pool, tables: runtime.tables)
        let processor = BounceProcessor(database: database, settings: settings, logger: runtime.logger)
        let width = concurrency ?? runtime.configuration.database.maxConnections
        let report: BounceBatchReport
        do {
            report = try await BounceBatch(processor: processor, database: database, logger: runtime.logger)
                .run(messages, concurrency: width)
        } catch {
            await pool.shutdown()
            Console.problem("\(error)")
            throw ReportedFailure()
        }
        await pool.shutdown()
        print(report.summaryLine)
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
        throw Unreadable(path: "(none)", why: "give --mbox FILE or --maildir DIR (configured mailboxes are read by `facteur run`)")
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

enum VERPConfig {
    static func make(base: String, secret: String) -> VERPAddress.Config? {
        VERPAddress.Config(baseAddress: base, secret: Array(secret.utf8))
    }
}

