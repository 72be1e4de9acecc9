import ArgumentParser

/// `facteur bench …`: measurements, never tests; each prints its figures and the reference it compares to.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput and memory of one part of Facteur.",
        subcommands: [BenchComposeCommand.self, BenchDatabaseCommand.self, BenchSMTPCommand.self]
    )
}
