import ArgumentParser

@main
struct Facteur: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facteur",
        abstract: "PHPList's sending and bounce backend.",
        discussion: "Reads PHPList's own tables and configuration; see README.md for the configuration reference.",
        subcommands: [CheckCommand.self, MigrateCommand.self, BenchCommand.self, SendCommand.self]
    )
}
