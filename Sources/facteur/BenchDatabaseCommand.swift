import ArgumentParser
import MariaDB

/// `facteur bench db --url mysql://… --rows N`: batched inserts, then streaming every row of a
/// generated subscriber table, with peak memory before and after.
struct BenchDatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Stream a generated subscriber table: rows/s and peak memory."
    )

    @Option(help: "A MariaDB URL whose user may create a scratch database.")
    var url: String = "mysql://root@127.0.0.1:13306"

    @Option(help: "Rows in the generated user table.")
    var rows: Int = 1_000_000

    func run() async throws {
        let configuration = try MariaDBConfiguration(url: url)
        let report = try await MariaDBStreamBenchmark.run(configuration: configuration, rows: rows)
        print(report)
    }
}
