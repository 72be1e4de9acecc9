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

        let settings = try BounceSettingsMapping.settings(from: runtime)
        let pool = try runtime.makePool()
        let database = PHPListDatabase(pool: pool, tables: runtime.tables)
        let processor = BounceProcessor(database: database, settings: settings, logger: runtime.logger)
        let width = concurrency ?? runtime.configuration.database.maxConnections

        // 1. Parse, classify and prepare (no database), spread over the cores.
        let prepareStart = ContinuousClock.now
        let prepared = await Self.prepareAll(messages, processor: processor)
        let prepareSeconds = BounceBatch.seconds(ContinuousClock.now - prepareStart)

        // 2. Write them (PHPList's rows, seen table, counters), then the rules and threshold pass.
        let report: BounceBatchReport
        do {
            report = try await BounceBatch(processor: processor, database: database, logger: runtime.logger)
                .run(prepared: prepared, concurrency: width)
        } catch {
            await pool.shutdown()
            Console.problem("\(error)")
            throw ReportedFailure()
        }
        await pool.shutdown()
        let total = prepareSeconds + report.seconds
        print(String(format: "parse+classify: %d bounces in %.2f s (%.0f/s)", copies, prepareSeconds, Double(copies) / prepareSeconds))
        print("write: " + report.summaryLine)
        print(String(format: "parse+classify+write: %d bounces in %.2f s (%.0f bounces/s), concurrency %d",
                     copies, total, Double(copies) / total, width))
    }

    static func prepareAll(_ messages: [(source: String, bytes: [UInt8])],
                           processor: BounceProcessor) async -> [(source: String, bounce: PreparedBounce)] {
        await withTaskGroup(of: [(Int, PreparedBounce)].self) { group in
            let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
            let chunk = max(1, (messages.count + cores - 1) / cores)
            for start in stride(from: 0, to: messages.count, by: chunk) {
                let slice = Array(messages[start..<min(start + chunk, messages.count)])
                group.addTask { slice.enumerated().map { (start + $0.offset, processor.prepare($0.element.bytes)) } }
            }
            var results = [PreparedBounce?](repeating: nil, count: messages.count)
            for await part in group {
                for (index, bounce) in part { results[index] = bounce }
            }
            return zip(messages, results).compactMap { message, bounce in bounce.map { (source: message.source, bounce: $0) } }
        }
    }
}
