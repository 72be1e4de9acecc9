import ArgumentParser
import Foundation
import Import
import MariaDB
import PHPList

/// `facteur import phplist --from URL`: the whole older database, merged into the target.
struct ImportPHPListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phplist",
        abstract: "Copy an older PHPList database (2.x or 3.x, any prefixes) into the target, merging what both hold.",
        discussion: """
            Lists merge by name, subscribers by address (case-insensitive; the stricter state wins), campaigns \
            by uuid. PHPList's config and admin accounts are not imported; the report lists config values that \
            differ. Re-running adds nothing; a killed run resumes. Needs `facteur migrate` first.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "The source database, mysql://user:pass@host:port/database.")
    var from: String

    @Option(help: "The source's $table_prefix (default phplist_).")
    var prefix = "phplist_"

    @Option(name: .customLong("user-prefix"), help: "The source's $usertable_prefix (default phplist_user_).")
    var userPrefix = "phplist_user_"

    @Flag(name: .customLong("dry-run"), help: "Print the report without writing anything.")
    var dryRun = false

    @Flag(name: .customLong("keep-lists-apart"), help: "Import a list whose name the target has as a separate list.")
    var keepListsApart = false

    @Option(name: .customLong("batch-size"), help: "Source rows per transaction.")
    var batchSize = 1000

    func run() async throws {
        let runtime = try Runtime.load(options)
        let source: MariaDBConfiguration
        do {
            source = try MariaDBConfiguration(url: from)
        } catch {
            Console.problem("--from: \(error)")
            throw ExitCode.failure
        }
        let exitAfter = ProcessInfo.processInfo.environment["FACTEUR_IMPORT_TEST_EXIT_AFTER"].flatMap(PHPListImportOptions.ExitPoint.init)
        let importOptions = PHPListImportOptions(
            source: source, sourceTables: TableNames(prefix: prefix, userPrefix: userPrefix), targetTables: runtime.tables,
            dryRun: dryRun, keepListsApart: keepListsApart, batchSize: max(1, batchSize), exitAfter: exitAfter
        )
        let pool = try runtime.makePool()
        let bar = ProgressBar.onTerminal()
        do {
            let report = try await PHPListImporter(target: pool, options: importOptions, logger: runtime.logger)
                .run { bar?.update($0) }
            bar?.finish()
            print(report.text)
        } catch {
            bar?.finish()
            await pool.shutdown()
            Console.problem("\(error)")
            throw ExitCode.failure
        }
        await pool.shutdown()
    }
}
