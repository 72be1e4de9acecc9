import ArgumentParser

@main
struct Facteur: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facteur",
        abstract: "PHPList's sending and bounce backend.",
        usage: "facteur [--config FILE | --phplist-config PATH] <command>",
        discussion: "Reads PHPList's own tables and configuration; see README.md for the configuration reference.",
        subcommands: [CheckCommand.self, MigrateCommand.self, SendCommand.self, PreviewCommand.self, BouncesCommand.self, ImportCommand.self, BenchCommand.self]
    )

    /// `facteur --config F check` is how operators write it; ArgumentParser only takes a subcommand's
    /// options after its name, so the global ones are moved there before parsing.
    static func main() async {
        let arguments = GlobalOptions.movedAfterSubcommand(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
