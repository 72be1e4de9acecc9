import FacteurTesting
import Foundation
import MariaDB
import Testing

/// The benchmark, run on demand: `FACTEUR_BENCH=1 swift test --filter MariaDBTests.BenchmarkTests`
/// (`FACTEUR_BENCH_ROWS` sets the row count, default 1,000,000). Not a test of speed: it only checks
/// that every row came back and that streaming did not grow memory, and prints the figures.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FACTEUR_BENCH"] == "1", "set FACTEUR_BENCH=1 to run"))
struct BenchmarkTests {
    @Test func streamBenchmark() async throws {
        let rows = ProcessInfo.processInfo.environment["FACTEUR_BENCH_ROWS"].flatMap(Int.init) ?? 1_000_000
        let report = try await MariaDBStreamBenchmark.run(configuration: try TestServices.requireMySQL(), rows: rows)
        print(report)
        #expect(report.streamedRows == rows)
        #expect(report.peakRSSAfterStreamKB - report.peakRSSBeforeStreamKB < 100 * 1024)
    }
}
