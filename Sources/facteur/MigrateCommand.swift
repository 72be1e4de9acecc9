import ArgumentParser
import Foundation
import MariaDB

/// `facteur migrate [--status]`: Facteur's own `facteur_*` tables, from the numbered files of `migrations/`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or update Facteur's own tables (never PHPList's)."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(help: "List applied and pending migrations; change nothing.")
    var status = false

    @Option(help: "Directory of the numbered SQL files (default: $FACTEUR_MIGRATIONS_DIR, then the installed share folder, then ./migrations).")
    var migrations: String?

    func run() async throws {
        let runtime = try Runtime.load(options)
        let directory = MigrationsLocation.resolve(explicit: migrations)
        let files: [Migration]
        do {
            files = try Migration.load(from: directory)
        } catch {
            Console.problem("\(error)")
            throw ExitCode.failure
        }
        let pool = try runtime.makePool()
        defer { Task { await pool.shutdown() } }
        let runner = MigrationRunner(pool: pool, migrations: files)
        do {
            if status {
                let state = try await runner.status()
                for applied in state.applied {
                    print("applied  \(String(format: "%04d", applied.version)) \(applied.name) (\(applied.appliedAt))")
                }
                for pending in state.pending {
                    print("pending  \(String(format: "%04d", pending.version)) \(pending.name)")
                }
                if state.pending.isEmpty { print("up to date") }
            } else {
                let applied = try await runner.migrate()
                for migration in applied { print("applied \(migration.file)") }
                print(applied.isEmpty ? "up to date: nothing to apply" : "\(applied.count) migration(s) applied")
            }
        } catch {
            Console.problem("\(error)")
            throw ExitCode.failure
        }
    }
}

/// Where the migrations are when no directory is given: beside an installed binary
/// (`<prefix>/share/facteur/migrations`) or in the working directory (a checkout).
enum MigrationsLocation {
    static func resolve(explicit: String?) -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["FACTEUR_MIGRATIONS_DIR"] {
            return URL(fileURLWithPath: fromEnvironment)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let installed = executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/facteur/migrations")
        if FileManager.default.fileExists(atPath: installed.path) { return installed }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("migrations")
    }
}
