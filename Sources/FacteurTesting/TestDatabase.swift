import Foundation
import MariaDB

/// A fresh database on the test server, named `facteur_t_<random>`, optionally loaded with PHPList data.
/// Each test creates its own and drops it at the end, so tests run in parallel without sharing state.
public struct TestDatabase: Sendable {
    public let name: String
    /// The test server's configuration with `database` set to `name`.
    public let configuration: MariaDBConfiguration

    /// What to load into a new database.
    public enum Fixture: Sendable {
        case empty
        /// PHPList 3.6.15's tables, empty (`compat/phplist-3.6.15/schema-3.6.15.sql`).
        case schema
        /// Whole PHPList 3.6.15 databases (`compat/phplist-3.6.15/sample-{queued,sent,bounced}.sql.gz`).
        case sampleQueued, sampleSent, sampleBounced
        /// A 2.11-era PHPList database, latin1 tables (`compat/old-2.11/sample.sql.gz`).
        case oldSample
        /// Any `.sql` or `.sql.gz` file.
        case file(URL)

        var url: URL? {
            switch self {
            case .empty: return nil
            case .schema: return TestServices.compatFile("phplist-3.6.15/schema-3.6.15.sql")
            case .sampleQueued: return TestServices.compatFile("phplist-3.6.15/sample-queued.sql.gz")
            case .sampleSent: return TestServices.compatFile("phplist-3.6.15/sample-sent.sql.gz")
            case .sampleBounced: return TestServices.compatFile("phplist-3.6.15/sample-bounced.sql.gz")
            case .oldSample: return TestServices.compatFile("old-2.11/sample.sql.gz")
            case .file(let url): return url
            }
        }
    }

    /// Creates the database (utf8mb4) and loads `fixture` through the `mariadb` command-line client.
    /// With `prefix` (e.g. `"pl_"`), every `phplist_…` table is renamed to `<prefix>…`, so
    /// `phplist_user_user` becomes `pl_user_user` and `phplist_listattr_x` becomes `pl_listattr_x`.
    public static func create(loading fixture: Fixture = .empty, prefix: String? = nil) async throws -> TestDatabase {
        let server = try TestServices.requireMySQL()
        let name = "facteur_t_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        var configuration = server
        configuration.database = name
        let database = TestDatabase(name: name, configuration: configuration)
        try await runBlocking {
            let connection = try MariaDBConnection(configuration: server)
            try connection.execute("CREATE DATABASE `\(name)` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
        }
        do {
            if let file = fixture.url {
                let target = configuration
                try await runBlocking { try SQLLoader.load(file, into: target) }
            }
            if let prefix, prefix != "phplist_" {
                try await database.renameTables(to: prefix)
            }
        } catch {
            try? await database.drop()
            throw error
        }
        return database
    }

    /// `mysql://root@127.0.0.1:13306/<name>` (with the test server's credentials).
    public var url: String { configuration.url }

    /// A pool on this database; the caller shuts it down.
    public func pool(maxConnections: Int = 4) -> MariaDBPool {
        MariaDBPool(configuration: configuration, maxConnections: maxConnections)
    }

    /// Drops the database.
    public func drop() async throws {
        var serverConfiguration = configuration
        serverConfiguration.database = nil
        let server = serverConfiguration
        let name = self.name
        try await runBlocking {
            let connection = try MariaDBConnection(configuration: server)
            try connection.execute("DROP DATABASE IF EXISTS `\(name)`")
        }
    }

    private func renameTables(to prefix: String) async throws {
        let configuration = self.configuration
        let name = self.name
        try await runBlocking {
            let connection = try MariaDBConnection(configuration: configuration)
            let tables = try connection.query(
                "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_name LIKE 'phplist\\_%'",
                [name]
            ).map { try $0.decode("t", as: String.self) }
            guard !tables.isEmpty else { return }
            let renames = tables.map { "`\($0)` TO `\(prefix)\($0.dropFirst("phplist_".count))`" }
            try connection.execute("RENAME TABLE " + renames.joined(separator: ", "))
        }
    }
}

/// Feeds a SQL file (gzip-compressed when it ends in `.gz`) to the `mariadb` client: far faster
/// than splitting dumps into statements ourselves, and it understands everything mysqldump writes.
enum SQLLoader {
    struct LoadFailed: Error, CustomStringConvertible {
        let file: String
        let target: String
        let status: Int32
        let output: String
        var description: String {
            "loading \(file) into \(target) failed (exit status \(status)): \(output)"
        }
    }

    static func load(_ file: URL, into configuration: MariaDBConfiguration) throws {
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw LoadFailed(file: file.path, target: configuration.redacted, status: -1, output: "no such file")
        }
        let client = ["/usr/bin/mariadb", "/usr/bin/mysql", "/usr/local/bin/mariadb", "/opt/homebrew/bin/mariadb"]
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "mariadb"
        var arguments = ["--user=\(configuration.user)", "--default-character-set=utf8mb4"]
        if let socket = configuration.socket {
            arguments += ["--socket=\(socket)"]
        } else {
            arguments += ["--protocol=tcp", "--host=\(configuration.host)", "--port=\(configuration.port)"]
        }
        arguments.append(configuration.database ?? "")
        let quoted = ([client] + arguments).map(shellQuote).joined(separator: " ")
        let reader = file.pathExtension == "gz" ? "gzip -dc" : "cat"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -o pipefail; \(reader) \(shellQuote(file.path)) | \(quoted)"]
        var environment = ProcessInfo.processInfo.environment
        if let password = configuration.password { environment["MYSQL_PWD"] = password }
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LoadFailed(file: file.path, target: configuration.redacted, status: process.terminationStatus,
                             output: String(decoding: output, as: UTF8.self))
        }
    }

    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
