import ArgumentParser

/// `facteur bounces …`: bounce handling. `classify` needs no configuration or database.
struct BouncesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounces",
        abstract: "Classify bounces (processing mailboxes comes with the bounce issue).",
        subcommands: [BouncesClassifyCommand.self]
    )
}
