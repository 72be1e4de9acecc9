import ArgumentParser
import Foundation
import Supervision

/// `facteur status [--json]`: campaigns, relays, providers, bounces, retries, workers and the capacity
/// estimate, read from the database, so it works from any host and while no worker runs.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show throughput, campaigns, relays, bounces, the retry queue and the capacity estimate.",
        discussion: "Reads the database only (Facteur's facteur_* tables and PHPList's); run `facteur migrate` first."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Print the snapshot as JSON (sorted keys, ISO 8601 UTC dates) for scripts.")
    var json = false

    @Option(help: "Hours covered by the bounce and provider figures.")
    var hours = 24

    func validate() throws {
        guard (1...24 * 90).contains(hours) else { throw ValidationError("--hours must be between 1 and 2160") }
    }

    func run() async throws {
        let runtime = try Runtime.load(options)
        let pool = try runtime.makePool()
        let reader = StatusReader(pool: pool, tables: runtime.tables,
                                  configuredProviders: runtime.configuration.throttle.providers,
                                  windowHours: hours)
        let snapshot: StatusSnapshot
        do {
            snapshot = try await reader.read()
        } catch {
            await pool.shutdown()
            Console.problem("\(error)")
            throw ExitCode.failure
        }
        await pool.shutdown()
        if json {
            FileHandle.standardOutput.write(try StatusJSON.encode(snapshot))
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            print(StatusText.render(snapshot), terminator: "")
        }
    }
}
