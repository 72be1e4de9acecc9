import ArgumentParser

/// Where the configuration comes from; shared by every command that touches the installation.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Facteur's YAML configuration file (default: $FACTEUR_CONFIG).")
    var config: String?

    @Option(name: .customLong("phplist-config"), help: "PHPList's config.php, read without running PHP.")
    var phplistConfig: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?
}
