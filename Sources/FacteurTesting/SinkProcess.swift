import Foundation

/// Postfix's `smtp-sink` on its own 127.0.0.1 port, with fault flags, dumping every message.
/// Stopped by pid in `stop()` (and in deinit as a safety net).
public final class SinkProcess: @unchecked Sendable {
    // @unchecked: every stored property is a constant except `process`, which only `stop()` touches.
    public enum Error: Swift.Error, CustomStringConvertible {
        case notInstalled
        case exited(status: Int32, output: String)
        public var description: String {
            switch self {
            case .notInstalled: "\(SinkRequirement.smtpSinkPath) is missing: install Debian's postfix package (scripts/services.sh up)"
            case .exited(let status, let output): "smtp-sink exited with \(status): \(output)"
            }
        }
    }

    /// One message as the sink dumped it.
    public struct Message: Sendable, Hashable {
        public let mailFromArgs: String
        public let rcptArgs: [String]
        /// The message as received, minus the sink's own Received header, with LF line ends.
        public let body: String
    }

    public let port: Int
    public let dumpDirectory: URL
    private let process: Process

    /// The loopback address it listens on (127.0.0.1, or 127.0.0.2 … for tests with several relays).
    public let host: String

    public var url: String { "smtp://\(host):\(port)" }

    /// Starts `smtp-sink [flags] -d DIR/%M. 127.0.0.1:PORT backlog` and waits until it listens.
    /// Useful flags: `-r CMD` 4xx, `-f CMD` 5xx, `-Q CMD` 421 and disconnect, `-q CMD` silent
    /// disconnect, `-w secs` delay before the DATA reply, `-P` no PIPELINING, `-e` no EHLO.
    /// `host` must be a 127.x.y.z address; `port` reuses a port (a relay that comes back), else a free one.
    public static func start(flags: [String] = [], backlog: Int = 256, dump: Bool = true,
                             host: String = "127.0.0.1", port: Int? = nil) async throws -> SinkProcess {
        guard SinkRequirement.smtpSinkInstalled else { throw Error.notInstalled }
        precondition(host.hasPrefix("127."), "test sinks listen on loopback addresses only")
        let port = try port ?? SinkPorts.free(host: host)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-sink-\(port)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // smtp-sink drops to `nobody` when run as root; that user writes the dumps.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory.path)
        var arguments: [String] = getuid() == 0 ? ["-u", "nobody"] : []
        arguments += flags
        if dump { arguments += ["-d", directory.path + "/%M."] }
        arguments += ["\(host):\(port)", String(backlog)]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SinkRequirement.smtpSinkPath)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let sink = SinkProcess(host: host, port: port, dumpDirectory: directory, process: process)
        do {
            try await SinkPorts.waitUntilListening(port, host: host)
        } catch {
            sink.stop()
            throw Error.exited(status: process.terminationStatus,
                               output: String(decoding: output.fileHandleForReading.availableData, as: UTF8.self))
        }
        return sink
    }

    private init(host: String, port: Int, dumpDirectory: URL, process: Process) {
        self.host = host
        self.port = port
        self.dumpDirectory = dumpDirectory
        self.process = process
    }

    deinit { stop() }

    /// Kills this sink's pid and waits for it; removes the dump directory. SIGKILL, because a
    /// child of the test runner inherits its blocked SIGTERM; the sink keeps nothing to flush
    /// (each dump file is complete when its transaction ends).
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: dumpDirectory)
    }

    /// Kills the sink as a relay dies, keeping its dumps so the test can still count what it received.
    public func crash() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// The messages dumped so far (dump files are written when each transaction ends).
    public func messages() throws -> [Message] {
        let files = try FileManager.default.contentsOfDirectory(atPath: dumpDirectory.path).sorted()
        return try files.map { try Self.parse(String(decoding: Data(contentsOf: dumpDirectory.appendingPathComponent($0)), as: UTF8.self)) }
    }

    /// Waits up to `seconds` for at least `count` dumped messages.
    public func waitForMessages(_ count: Int, seconds: Double = 5) async throws -> [Message] {
        let start = ContinuousClock.now
        var found = try messages()
        while found.count < count, ContinuousClock.now - start < .seconds(seconds) {
            try await Task.sleep(for: .milliseconds(50))
            found = try messages()
        }
        return found
    }

    static func parse(_ dump: String) -> Message {
        var lines = dump.split(separator: "\n", omittingEmptySubsequences: false)[...]
        var mailFrom = ""
        var rcpts: [String] = []
        while let line = lines.first, line.hasPrefix("X-") {
            if line.hasPrefix("X-Mail-Args: ") { mailFrom = String(line.dropFirst(13)) }
            if line.hasPrefix("X-Rcpt-Args: ") { rcpts.append(String(line.dropFirst(13))) }
            lines = lines.dropFirst()
        }
        // The sink's Received header: its first line and the folded lines after it.
        if lines.first?.hasPrefix("Received: ") == true {
            lines = lines.dropFirst()
            while let line = lines.first, line.hasPrefix("\t") || line.hasPrefix(" ") { lines = lines.dropFirst() }
        }
        // The sink ends each dump with one newline of its own.
        if lines.count > 1, lines.last == "" { lines = lines.dropLast() }
        return Message(mailFromArgs: mailFrom, rcptArgs: rcpts, body: lines.joined(separator: "\n"))
    }
}
