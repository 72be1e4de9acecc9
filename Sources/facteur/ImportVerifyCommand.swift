import ArgumentParser
import Foundation
import Import
import MariaDB
import PHPList

/// `facteur import verify --from URL`: source and target compared after an import.
struct ImportVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare an imported source database with the target: counts and a sample of rows of every kind.",
        discussion: "Exit status 0 when every sampled subscriber and row matches, 1 when any differs or is missing."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "The source database, mysql://user:pass@host:port/database.")
    var from: String

    @Option(help: "The source's $table_prefix (default phplist_).")
    var prefix = "phplist_"

    @Option(name: .customLong("user-prefix"), help: "The source's $usertable_prefix (default phplist_user_).")
    var userPrefix = "phplist_user_"

    @Option(help: "Subscribers, and rows of each other kind, to compare, spread over the source.")
    var sample = 200

    func run() async throws {
        let runtime = try Runtime.load(options)
        let source: MariaDBConfiguration
        do {
            source = try MariaDBConfiguration(url: from)
        } catch {
            Console.problem("--from: \(error)")
            throw ExitCode.failure
        }
        let pool = try runtime.makePool()
        let result: ImportVerifier.Result
        do {
            result = try await ImportVerifier(target: pool, source: source, sourceTables: TableNames(prefix: prefix, userPrefix: userPrefix),
                                              targetTables: runtime.tables, sampleSize: max(1, sample)).run()
        } catch {
            await pool.shutdown()
            Console.problem("\(error)")
            throw ExitCode.failure
        }
        await pool.shutdown()
        print(result.text)
        if !result.matches { throw ExitCode.failure }
    }
}
