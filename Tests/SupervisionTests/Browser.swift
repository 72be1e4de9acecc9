import FacteurTesting
import Foundation

/// Debian's headless Chromium, run as a command (`--dump-dom`, `--screenshot`).
enum Browser {
    static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]

    static var path: String? { candidates.first { FileManager.default.isExecutableFile(atPath: $0) } }

    /// Run the browser tests when Chromium is installed; in CI always (a missing browser then fails).
    static var runTests: Bool { path != nil || SinkRequirement.isCI }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The DOM after the page's scripts ran for `budget` milliseconds of virtual time.
    static func dumpDOM(_ url: String, budget: Int = 3000) async throws -> String {
        try await run(["--virtual-time-budget=\(budget)", "--dump-dom", url])
    }

    /// A PNG of the page as a 1280×1600 window shows it.
    static func screenshot(_ url: String, to file: URL, budget: Int = 3000) async throws {
        try? FileManager.default.removeItem(at: file)
        _ = try await run(["--virtual-time-budget=\(budget)", "--window-size=1280,1600", "--hide-scrollbars", "--screenshot=\(file.path)", url])
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw Failure(description: "chromium wrote no screenshot at \(file.path)")
        }
    }

    private static func run(_ arguments: [String], timeout: Double = 60) async throws -> String {
        guard let path else {
            throw Failure(description: "chromium is not installed (Debian package chromium; scripts/services.sh up installs it)")
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        // --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                             "--user-data-dir=\(profile.path)"] + arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-chromium-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw Failure(description: "chromium \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
            }
            // Polled with a task sleep: the status server answering Chromium needs the cooperative threads.
            try await Task.sleep(for: .milliseconds(50))
        }
        try handle.close()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "chromium \(arguments.joined(separator: " ")) exited with status \(process.terminationStatus)")
        }
        return try String(contentsOf: output, encoding: .utf8)
    }
}
