import ArgumentParser
import Bounces
import Foundation
import PHPList

/// `facteur bounces bench --copies N --scratch-database`: bounces parsed, classified and written per
/// second. Builds N distinct bounces from an mbox (default: the PHPList sample's four, each copy naming a
/// different subscriber user0001…user2000), times parsing alone, then the whole processing into the
/// configured database, which must be a scratch copy (e.g. loaded from sample-sent.sql.gz, migrated).
struct BouncesBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure bounce processing throughput against a scratch database."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Template mbox (default: compat/phplist-3.6.15/bounces-sample.mbox).")
    var mbox = "compat/phplist-3.6.15/bounces-sample.mbox"

    @Option(help: "Number of bounces to generate.")
    var copies = 20_000

    @Option(help: "Bounces processed at the same time (default: database.max_connections).")
    var concurrency: Int?

    @Flag(help: "Confirm that the configured database is a scratch copy: the bench writes thousands of bounces.")
    var scratchDatabase = false

    func run() async throws {
        guard scratchDatabase else {
            Console.problem("the bench writes \(copies) bounces into database.url: pass --scratch-database to confirm it is a scratch copy")
            throw ReportedFailure()
        }
        let runtime = try Runtime.load(options)
        guard let data = FileManager.default.contents(atPath: mbox) else {
            Console.problem("cannot read \(mbox)")
            throw ReportedFailure()
        }
        let templates = MboxReader.messages(in: [UInt8](data)).map { String(decoding: $0, as: UTF8.self) }
        guard !templates.isEmpty else {
            Console.problem("\(mbox) holds no message")
            throw ReportedFailure()
        }
        let run = UInt32.random(in: 0...UInt32.max)
        let messages: [(source: String, bytes: [UInt8])] = (0..<copies).map { index in
            var text = templates[index % templates.count]
            let subscriber = String(format: "user%04d", index % 2000 + 1)
            text = text.replacingOccurrences(of: "user1201", with: subscriber).replacingOccurrences(of: "user0001", with: subscriber)
            text = "X-Bench-Copy: \(run).\(index)\n" + text
            return ("bench#\(index)", Array(text.utf8))
        }

        let parseStart = ContinuousClock.now
        var failures = 0
        for message in messages where BounceParser.parse(message.bytes).recipients.isEmpty { failures += 1 }
        let parseSeconds = BounceBatch.seconds(ContinuousClock.now - parseStart)

        let settings = try BounceSettingsMapping.settings(from: runtime)
        let pool = try runtime.makePool()
        let database = PHPListDatabase(pool: pool, tables: runtime.tables)
        let processor = BounceProcessor(database: database, settings: settings, logger: runtime.logger)
        let report: BounceBatchReport
        do {
            report = try await BounceBatch(processor: processor, database: database, logger: runtime.logger)
                .run(messages, concurrency: concurrency ?? runtime.configuration.database.maxConnections)
        } catch {
            await pool.shutdown()
            Console.problem("\(error)")
            throw ReportedFailure()
        }
        await pool.shutdown()
        print(String(format: "parse+classify only: %d bounces in %.2f s (%.0f/s), %d without recipient",
                     copies, parseSeconds, Double(copies) / parseSeconds, failures))
        print("parse+classify+write: " + report.summaryLine)
    }
}
