import ArgumentParser
import MariaDB
import PHPList

/// `facteur check`: one line per fact about the installation, one line per problem; exit 0 only when
/// everything configured works.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the configuration, the PHPList database and every relay."
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let runtime = try Runtime.load(options)
        let findings = runtime.configuration.validate()
        var problems = findings.filter { $0.severity == .error }.map(\.message)
        for warning in findings where warning.severity == .warning { Console.problem("warning: \(warning.message)") }

        let pool = try runtime.makePool()
        let phplist = PHPListDatabase(pool: pool, tables: runtime.tables)
        do {
            let schema = try await phplist.inspectSchema()
            print("PHPList schema: \(schema.version) (prefixes \(schema.tables.prefix)/\(schema.tables.userPrefix))")
            print("database: \(try runtime.databaseConfiguration().redacted)")
            print("lists: \(try await phplist.lists().count)")
            print("subscribers: \(try await phplist.subscriberCount())")
            print("queued campaigns: \(try await phplist.queuedCampaignIDs().count)")
        } catch {
            problems.append("\(error)")
        }
        await pool.shutdown()

        for relay in runtime.configuration.relays {
            switch await RelayProbe.check(relay, logger: runtime.logger) {
            case .success(let line): print(line)
            case .failure(let problem): problems.append(problem.description)
            }
        }

        for problem in problems { Console.problem(problem) }
        if !problems.isEmpty { throw ExitCode.failure }
    }
}
