import ArgumentParser

/// `facteur bounces …`: bounce handling. `classify` needs no configuration or database.
struct BouncesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounces",
        abstract: "Process bounces into PHPList's tables, or classify bounce files.",
        subcommands: [BouncesProcessCommand.self, BouncesClassifyCommand.self, BouncesBenchCommand.self],
        defaultSubcommand: BouncesProcessCommand.self
    )
}
