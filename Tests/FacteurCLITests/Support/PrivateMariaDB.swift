import FacteurTesting
import Foundation
import MariaDB

/// A MariaDB server of one test's own (own port, own data directory), started the way
/// `scripts/services.sh` starts the shared one, so the test may stop and restart it: the shared server
/// on 13306 serves every other test and must never be restarted.
final class PrivateMariaDB: @unchecked Sendable {
    // @unchecked: `process` is only touched by the test that owns the server, one step at a time.
    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    static let server = "/usr/sbin/mariadbd"
    static let installer = "/usr/bin/mariadb-install-db"

    let directory: URL
    let port: Int
    private var process: Process?

    var dataDirectory: URL { directory.appendingPathComponent("data") }
    var url: String { "mysql://root@127.0.0.1:\(port)" }

    /// A fresh data directory (mariadb-install-db) and a server on a free port. Throws a clear failure when
    /// MariaDB's server package is not installed.
    static func start() async throws -> PrivateMariaDB {
        for tool in [server, installer] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw Failure(message: "\(tool) is missing: install Debian's mariadb-server (scripts/services.sh up)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-mariadb-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let runAs = getuid() == 0 ? ["--user=mysql"] : []
        if getuid() == 0 { try run("/bin/chown", ["mysql:mysql", directory.path]) }
        try run(installer, runAs + ["--datadir=\(directory.appendingPathComponent("data").path)",
                                    "--auth-root-authentication-method=normal", "--skip-test-db"])
        let database = PrivateMariaDB(directory: directory, port: try SinkPorts.free())
        try await database.startServer()
        return database
    }

    private init(directory: URL, port: Int) {
        self.directory = directory
        self.port = port
    }

    /// Starts mariadbd on the data directory and waits until it accepts a query.
    func startServer() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.server)
        process.arguments = (getuid() == 0 ? ["--no-defaults", "--user=mysql"] : ["--no-defaults"]) + [
            "--datadir=\(dataDirectory.path)", "--socket=\(directory.appendingPathComponent("mysqld.sock").path)",
            "--pid-file=\(directory.appendingPathComponent("mysqld.pid").path)", "--port=\(port)",
            "--bind-address=127.0.0.1", "--log-error=\(directory.appendingPathComponent("error.log").path)",
            "--innodb-buffer-pool-size=64M", "--skip-name-resolve", "--max-connections=100",
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if !process.isRunning { throw Failure(message: "mariadbd on port \(port) exited at start: \(errorLog)") }
            if (try? await execute("SELECT 1")) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(message: "mariadbd on port \(port) did not accept connections within 60 s: \(errorLog)")
    }

    /// SIGTERM (MariaDB's normal shutdown: clients cut, InnoDB flushed) and waits for the process to end.
    func stopServer(timeout: Double = 60) async throws {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            guard Date() < deadline else {
                kill(process.processIdentifier, SIGKILL)
                throw Failure(message: "mariadbd on port \(port) ignored SIGTERM for \(timeout) s: \(errorLog)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        self.process = nil
    }

    /// Stops the server (SIGKILL if it must) and removes its data directory.
    func destroy() async {
        if (try? await stopServer(timeout: 30)) == nil, let process { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs statements on the server (no database selected) with a connection of their own.
    func execute(_ sql: String) async throws {
        let configuration = try MariaDBConfiguration(url: url)
        try await Task.detached {
            let connection = try MariaDBConnection(configuration: configuration)
            try connection.executeScript(sql)
        }.value
    }

    /// Creates `name` and loads a PHPList dump into it with the `mariadb` client.
    func createDatabase(_ name: String, loading dump: URL) async throws {
        try await execute("CREATE DATABASE `\(name)` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
        let script = "set -o pipefail; gzip -dc '\(dump.path)' | mariadb --protocol=tcp -h127.0.0.1 -P\(port) -uroot " +
            "--default-character-set=utf8mb4 \(name)"
        try await Task.detached { try Self.run("/bin/bash", ["-c", script]) }.value
    }

    private var errorLog: String {
        let log = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        return String(log.suffix(1500))
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(message: "\(tool) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): "
                + String(decoding: text, as: UTF8.self).suffix(1500))
        }
    }
}
