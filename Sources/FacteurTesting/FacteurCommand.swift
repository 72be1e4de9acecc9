import Foundation

/// Runs the built `facteur` executable as an operator would, for end-to-end tests of the command line.
public struct FacteurCommand: Sendable {
    public struct Result: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String

        public var lines: [String] { standardOutput.split(separator: "\n").map(String.init) }
        public var errorLines: [String] { standardError.split(separator: "\n").map(String.init) }
    }

    public enum Failure: Error, CustomStringConvertible {
        case executableNotFound(searched: [String])
        case timedOut(arguments: [String], seconds: Double)

        public var description: String {
            switch self {
            case .executableNotFound(let searched):
                return "the facteur executable was not built; looked in \(searched.joined(separator: ", ")) (run `swift build`)"
            case .timedOut(let arguments, let seconds):
                return "facteur \(arguments.joined(separator: " ")) did not finish within \(seconds) s"
            }
        }
    }

    public let executable: URL

    /// The `facteur` binary next to the test bundle (SwiftPM puts both in the same products folder).
    public static func built() throws -> FacteurCommand {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["FACTEUR_BINARY"] {
            candidates.append(URL(fileURLWithPath: override))
        }
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            candidates.append(directory.appendingPathComponent("facteur"))
            directory = directory.deletingLastPathComponent()
        }
        let root = TestServices.repositoryRoot
        candidates.append(root.appendingPathComponent(".build/debug/facteur"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw Failure.executableNotFound(searched: candidates.map(\.path))
        }
        return FacteurCommand(executable: found)
    }

    /// Runs `facteur ARGUMENTS` with the given extra environment (the process's own minus FACTEUR_* keys,
    /// so a developer's shell cannot change what a test sees).
    public func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 120) async throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = Self.environment(adding: environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        async let stdout = Self.readAll(out.fileHandleForReading)
        async let stderr = Self.readAll(err.fileHandleForReading)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                // SIGKILL: a hung process may not honour SIGTERM, and must not outlive the test.
                kill(process.processIdentifier, SIGKILL)
                throw Failure.timedOut(arguments: arguments, seconds: timeout)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return Result(status: process.terminationStatus, standardOutput: await stdout, standardError: await stderr)
    }

    /// A `facteur` process left running (`facteur run`), its output collected in files.
    public final class Running: @unchecked Sendable {
        public let process: Process
        let outputFile: URL
        let errorFile: URL

        init(process: Process, outputFile: URL, errorFile: URL) {
            self.process = process
            self.outputFile = outputFile
            self.errorFile = errorFile
        }

        public func signal(_ signo: Int32) { kill(process.processIdentifier, signo) }

        /// What it wrote so far, standard error then standard output.
        public var outputSoFar: String {
            ((try? String(contentsOf: errorFile, encoding: .utf8)) ?? "") + ((try? String(contentsOf: outputFile, encoding: .utf8)) ?? "")
        }

        /// Waits for the exit (SIGKILL after `timeout`, reported as a timeout) and returns its result.
        public func waitForExit(timeout: Double) async throws -> Result {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning {
                if Date() > deadline {
                    kill(process.processIdentifier, SIGKILL)
                    throw Failure.timedOut(arguments: process.arguments ?? [], seconds: timeout)
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let out = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
            let err = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            return Result(status: process.terminationStatus, standardOutput: out, standardError: err)
        }
    }

    /// Starts `facteur ARGUMENTS` without waiting for it (same environment rule as `run`).
    public func launch(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = Self.environment(adding: environment)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-run-\(UUID().uuidString)")
        let outputFile = base.appendingPathExtension("out")
        let errorFile = base.appendingPathExtension("err")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, outputFile: outputFile, errorFile: errorFile)
    }

    /// The process's environment minus FACTEUR_* keys (but FACTEUR_TEST_*), plus `extra`. The supervision
    /// endpoint is off (`FACTEUR_HTTP_LISTEN` empty) unless `extra` sets it: `facteur run` serves it on
    /// 127.0.0.1:8870 by default, and the suite runs many `facteur run` processes at once.
    private static func environment(adding extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("FACTEUR_") || $0.key.hasPrefix("FACTEUR_TEST_") }
        env["FACTEUR_HTTP_LISTEN"] = ""
        env.merge(extra) { $1 }
        return env
    }

    private static func readAll(_ handle: FileHandle) async -> String {
        await Task.detached { String(decoding: handle.readDataToEndOfFile(), as: UTF8.self) }.value
    }
}
