import Foundation
import ArgumentParser

@main
struct Facteur: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facteur",
        abstract: "PHPList's sending and bounce backend.",
        usage: "facteur [--config FILE | --phplist-config PATH] <command>",
        discussion: "Reads PHPList's own tables and configuration; see README.md for the configuration reference.",
        subcommands: [CheckCommand.self, MigrateCommand.self, SendCommand.self, RunCommand.self, PreviewCommand.self,
                      BouncesCommand.self, StatusCommand.self, ImportCommand.self, BenchCommand.self]
    )

    /// `facteur --config F check` is how operators write it; ArgumentParser only takes a subcommand's
    /// options after its name, so the global ones are moved there before parsing.
    static func main() async {
        acceptStopSignals()
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

    /// A supervisor or test runner may start us with SIGTERM/SIGINT blocked (the mask is inherited):
    /// unblock them so a graceful stop request always reaches `facteur send` / `facteur run`.
    private static func acceptStopSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
