import ArgumentParser

/// Where the configuration comes from; shared by every command that touches the installation.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Facteur's YAML configuration file (default: $FACTEUR_CONFIG).")
    var config: String?

    @Option(name: .customLong("phplist-config"), help: "PHPList's config.php, read without running PHP.")
    var phplistConfig: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    static let names = ["--config", "--phplist-config", "--log-level"]

    /// Moves the global options written before the subcommand (`facteur --config F check`) to the end
    /// of the arguments (before a `--`), where the subcommand's option group parses them.
    static func movedAfterSubcommand(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first {
            if names.contains(first), rest.count >= 2 {
                leading.append(contentsOf: rest.prefix(2))
                rest = rest.dropFirst(2)
            } else if names.contains(where: { first.hasPrefix($0 + "=") }) {
                leading.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        var result = Array(rest)
        let insertion = result.firstIndex(of: "--") ?? result.endIndex
        result.insert(contentsOf: leading, at: insertion)
        return result
    }
}
