import ArgumentParser
import Foundation
import Import

/// `facteur import csv FILE --list ID`: subscribers from PHPList's export or a plain email,name,… file.
struct ImportCSVCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Import subscribers from a CSV file (PHPList's export format or email,name,…) onto a list.",
        discussion: """
            Line 1 names the columns: an email column, PHPList's export labels, and attribute names (matched \
            case-insensitively; --map COLUMN=ATTRIBUTE for others). New subscribers are confirmed and get HTML \
            mail, as PHPList's import makes them. Every rejected row is listed with its line number; the exit \
            status is 0 even then (the good rows are in), 1 only when the file cannot be imported at all.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The CSV file.")
    var file: String

    @Option(help: "Id of the list the subscribers join.")
    var list: Int

    @Option(name: .customLong("map"), parsing: .singleValue, help: "COLUMN=ATTRIBUTE: feed a column to an attribute (repeatable).")
    var mappings: [String] = []

    @Flag(help: "Leave new subscribers unconfirmed.")
    var unconfirmed = false

    @Flag(name: .customLong("text-only"), help: "New subscribers receive text mail instead of HTML.")
    var textOnly = false

    func run() async throws {
        let runtime = try Runtime.load(options)
        var map: [String: String] = [:]
        for mapping in mappings {
            let parts = mapping.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                Console.problem("--map \(mapping): write COLUMN=ATTRIBUTE")
                throw ExitCode.failure
            }
            map[parts[0]] = parts[1]
        }
        let pool = try runtime.makePool()
        let bar = ProgressBar.onTerminal()
        let importer = CSVImporter(target: pool, options: CSVImportOptions(
            path: file, listID: list, mappings: map, unconfirmed: unconfirmed, textOnly: textOnly, tables: runtime.tables
        ), logger: runtime.logger)
        do {
            let report = try await importer.run { bar?.update($0) }
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
