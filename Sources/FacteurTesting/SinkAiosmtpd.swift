import Foundation

/// A scriptable sink (Python aiosmtpd) on its own 127.0.0.1 port: STARTTLS or implicit TLS with
/// `SinkCertificates`, AUTH with one user (535 otherwise), and behaviour chosen by recipient
/// local part: `tempfail…` → 451 4.7.1 at RCPT, `reject…` → 550 5.1.1 at RCPT, `faildata…` →
/// 554 5.6.0 after the data, `slowdata…` → the data reply comes after `slowSeconds`,
/// `dropdata…` → the connection is dropped after the data, before any reply.
/// PIPELINING is offered only when asked for; AUTH offers PLAIN, LOGIN, CRAM-MD5 and XOAUTH2
/// (the password is the bearer token) unless `mechanisms` narrows it.
public final class AiosmtpdSink: @unchecked Sendable {
    // @unchecked: the constants are Sendable and `process` is only touched by `stop()`.
    public enum TLSMode: String, Sendable {
        case none
        case startTLS = "starttls"
        case implicit
    }

    public enum Error: Swift.Error, CustomStringConvertible {
        case notInstalled
        case didNotStart(port: Int, output: String)
        public var description: String {
            switch self {
            case .notInstalled: "python3-aiosmtpd and openssl are needed (Debian packages; scripts/services.sh up)"
            case .didNotStart(let port, let output): "aiosmtpd sink did not listen on 127.0.0.1:\(port): \(output)"
            }
        }
    }

    /// One message the sink accepted.
    public struct Message: Sendable, Hashable {
        /// MAIL FROM address followed by its ESMTP parameters, space-separated.
        public let mailFrom: String
        /// Each accepted recipient followed by its parameters.
        public let recipients: [String]
        /// The bytes received, dot-stuffing removed, CRLF line ends as sent.
        public let data: [UInt8]
    }

    public let port: Int
    public let directory: URL
    private let process: Process
    private let output: Pipe

    /// Starts the sink and waits until it listens.
    public static func start(tls: TLSMode = .none, certificates: SinkCertificates? = nil,
                             user: String? = nil, password: String? = nil, slowSeconds: Double = 5,
                             pipelining: Bool = false, mechanisms: [String] = [],
                             tempfailShare: Double = 0, slowDomain: String? = nil) async throws -> AiosmtpdSink {
        guard SinkRequirement.aiosmtpdInstalled else { throw Error.notInstalled }
        let port = try SinkPorts.free()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-aiosmtpd-\(port)-\(UUID().uuidString.prefix(8))")
        let dump = directory.appendingPathComponent("dump")
        try FileManager.default.createDirectory(at: dump, withIntermediateDirectories: true)
        let script = directory.appendingPathComponent("sink.py")
        try Data(SinkAiosmtpdScript.source.utf8).write(to: script)
        var arguments = [script.path, "--port", String(port), "--dump", dump.path, "--tls", tls.rawValue, "--slow", String(slowSeconds)]
        if let certificates, tls != .none { arguments += ["--cert", certificates.certificateFile, "--key", certificates.keyFile] }
        if let user, let password { arguments += ["--user", user, "--password", password] }
        if pipelining { arguments.append("--pipelining") }
        if !mechanisms.isEmpty { arguments += ["--mechanisms", mechanisms.joined(separator: ",")] }
        if tempfailShare > 0 { arguments += ["--tempfail-share", String(tempfailShare)] }
        if let slowDomain { arguments += ["--slow-domain", slowDomain] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SinkRequirement.python)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let sink = AiosmtpdSink(port: port, directory: directory, process: process, output: output)
        do {
            try await SinkPorts.waitUntilListening(port)
        } catch {
            sink.stop()
            throw Error.didNotStart(port: port, output: String(decoding: output.fileHandleForReading.availableData, as: UTF8.self))
        }
        return sink
    }

    private init(port: Int, directory: URL, process: Process, output: Pipe) {
        self.port = port
        self.directory = directory
        self.process = process
        self.output = output
    }

    deinit { stop() }

    /// `smtp://127.0.0.1:PORT` or `smtps://…` depending on the TLS mode it was started with.
    public func url(scheme: String = "smtp", userInfo: String? = nil) -> String {
        "\(scheme)://\(userInfo.map { "\($0)@" } ?? "")127.0.0.1:\(port)"
    }

    /// SIGTERM to this sink's pid; waiting for it (aiosmtpd takes a second or two to stop) and
    /// removing its files happen on a thread of their own, so a `defer { sink.stop() }` never
    /// blocks one of Swift's few cooperative threads, which would stall every other test.
    public func stop() {
        guard stopping.withLock({ let first = !$0; $0 = true; return first }) else { return }
        let process = UncheckedProcess(process: self.process)
        let directory = self.directory
        if process.process.isRunning { kill(process.process.processIdentifier, SIGTERM) }
        Thread.detachNewThread {
            process.process.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    private let stopping = LockedFlag()

    /// One "MECHANISM ok|fail" per AUTH attempt, in order.
    public func authAttempts() throws -> [String] {
        let file = directory.appendingPathComponent("dump").appendingPathComponent("auth.log")
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        return try String(decoding: Data(contentsOf: file), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Ends the `tempfailShare` errors (the sink looks for this file at each RCPT).
    public func stopTempfail() throws {
        try Data().write(to: directory.appendingPathComponent("stop-tempfail"))
    }

    public func messages() throws -> [Message] {
        let dump = directory.appendingPathComponent("dump")
        let names = try FileManager.default.contentsOfDirectory(atPath: dump.path).filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let base = dump.appendingPathComponent(String(name.dropLast(4)))
            let envelope = try String(decoding: Data(contentsOf: base.appendingPathExtension("env")), as: UTF8.self)
                .split(separator: "\n").map(String.init)
            let data = try Data(contentsOf: base.appendingPathExtension("eml"))
            return Message(mailFrom: envelope.first ?? "", recipients: Array(envelope.dropFirst()), data: Array(data))
        }
    }
}

/// A Bool behind a lock, for stopping once.
private final class LockedFlag: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = false

    func withLock<T>(_ body: (inout Bool) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// `Process` is not Sendable; the waiting thread is the only one using it after `stop()`.
private struct UncheckedProcess: @unchecked Sendable {
    let process: Process
}
