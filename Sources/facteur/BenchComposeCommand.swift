import ArgumentParser
import PHPList
import Worker

/// `facteur bench compose --campaign ID`: personalised messages per CPU-second for a queued campaign of
/// the configured database, composition alone. `scripts/bench-compose.sh` runs it with an allocation
/// counter preloaded and reports medians.
struct BenchComposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Compose a queued campaign for its recipients in a loop: messages/s on one core, bytes allocated."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "A campaign with recipients still to send (phplist_message.id).")
    var campaign: Int

    @Option(help: "How many of its pending recipients to cycle through.")
    var subscribers: Int = 2000

    @Option(help: "How long to render, in seconds.")
    var seconds: Double = 5

    func run() async throws {
        let runtime = try Runtime.load(options)
        let settings = try runtime.workerSettings()
        let pool = try runtime.makePool()
        let benchmark = CampaignComposeBenchmark(database: PHPListDatabase(pool: pool, tables: runtime.tables),
                                                 settings: settings)
        do {
            let result = try await benchmark.run(campaign: campaign, subscribers: subscribers, seconds: seconds)
            await pool.shutdown()
            print(result)
        } catch {
            await pool.shutdown()
            Console.problem("\(error)")
            throw ExitCode.failure
        }
    }
}
