import Foundation

/// A Dovecot (IMAP + POP3) for bounce-mailbox tests: either the shared one that
/// `scripts/services.sh up` runs (plain IMAP/POP3, located through `FACTEUR_TEST_*`), or a private
/// one a test starts on free ports — with implicit TLS and STARTTLS when given certificates —
/// and stops by its pid. Messages are delivered by writing Maildir files as user `mail`.
public final class TestDovecot: @unchecked Sendable {
    // @unchecked: every stored property is a constant; only `stop()` acts on `process`.
    public enum Error: Swift.Error, CustomStringConvertible {
        case notInstalled
        case startFailed(status: Int32, log: String)
        public var description: String {
            switch self {
            case .notInstalled: "dovecot is not installed: run scripts/services.sh up (Debian dovecot-imapd, dovecot-pop3d)"
            case .startFailed(let status, let log): "dovecot did not start (exit status \(status)): \(log)"
            }
        }
    }

    public static let user = "bounces"
    public static let password = "secret"
    /// The mail user Dovecot runs mailboxes as (`first_valid_uid = 8`, Debian's `mail`).
    static let mailUID = 8
    static let mailGID = 8

    public let host = "127.0.0.1"
    public let imapPort: Int
    public let pop3Port: Int
    /// 0 when the instance has no TLS.
    public let imapsPort: Int
    public let pop3sPort: Int
    /// Home directories: `<mailRoot>/<user>/Maildir`.
    public let mailRoot: URL
    private let directory: URL?
    private let configuration: URL?
    private let process: Process?

    private init(imapPort: Int, pop3Port: Int, imapsPort: Int, pop3sPort: Int, mailRoot: URL, directory: URL?, configuration: URL?,
                 process: Process? = nil) {
        self.imapPort = imapPort
        self.pop3Port = pop3Port
        self.imapsPort = imapsPort
        self.pop3sPort = pop3sPort
        self.mailRoot = mailRoot
        self.directory = directory
        self.configuration = configuration
        self.process = process
    }

    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot") }
    /// Run Dovecot tests when it is installed, or under CI (where its absence must fail them).
    public static var runTests: Bool { isInstalled || TestServices.isCI }

    /// The shared server of `scripts/services.sh`, after checking that it answers.
    public static func shared() throws -> TestDovecot {
        let environment = ProcessInfo.processInfo.environment
        let imap = URLComponents(string: environment["FACTEUR_TEST_IMAP_URL"] ?? "imap://bounces:secret@127.0.0.1:10143/INBOX")
        let pop3 = URLComponents(string: environment["FACTEUR_TEST_POP3_URL"] ?? "pop3://bounces:secret@127.0.0.1:10110")
        let mail = environment["FACTEUR_TEST_DOVECOT_MAIL"]
            ?? TestServices.repositoryRoot.appendingPathComponent(".services/dovecot/mail").path
        let imapPort = imap?.port ?? 10143
        guard SinkPorts.canConnect(imapPort) else {
            throw ServiceUnavailable(service: "Dovecot", target: "127.0.0.1:\(imapPort)", underlying: "connection refused")
        }
        return TestDovecot(imapPort: imapPort, pop3Port: pop3?.port ?? 10110, imapsPort: 0, pop3sPort: 0,
                           mailRoot: URL(fileURLWithPath: mail), directory: nil, configuration: nil)
    }

    /// A private Dovecot on free ports; with `certificates`, also imaps/pop3s and STARTTLS/STLS.
    public static func start(certificates: SinkCertificates? = nil) async throws -> TestDovecot {
        guard isInstalled else { throw Error.notInstalled }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-dovecot-\(UUID().uuidString.prefix(8))")
        let mail = directory.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: mail, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("run"), withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.ownerAccountID: mailUID, .groupOwnerAccountID: mailGID], ofItemAtPath: mail.path)
        try Data("\(user):{PLAIN}\(password)\n".utf8).write(to: directory.appendingPathComponent("passwd"))
        let ports = try (0..<4).map { _ in try SinkPorts.free() }
        let (imap, pop3) = (ports[0], ports[1])
        let (imaps, pop3s) = certificates == nil ? (0, 0) : (ports[2], ports[3])
        let ssl = certificates.map { "ssl = yes\nssl_cert = <\($0.certificateFile)\nssl_key = <\($0.keyFile)" } ?? "ssl = no"
        let d = directory.path
        let configuration = directory.appendingPathComponent("dovecot.conf")
        try Data("""
        base_dir = \(d)/run
        state_dir = \(d)/state
        log_path = \(d)/dovecot.log
        listen = 127.0.0.1
        protocols = imap pop3
        \(ssl)
        disable_plaintext_auth = no
        auth_mechanisms = plain login
        first_valid_uid = 8
        mail_location = maildir:~/Maildir
        pop3_uidl_format = %08Xu%08Xv
        passdb {
          driver = passwd-file
          args = \(d)/passwd
        }
        userdb {
          driver = static
          args = uid=mail gid=mail home=\(mail.path)/%u
        }
        service imap-login {
          inet_listener imap {
            address = 127.0.0.1
            port = \(imap)
          }
          inet_listener imaps {
            address = 127.0.0.1
            port = \(imaps)
            \(certificates == nil ? "" : "ssl = yes")
          }
        }
        service pop3-login {
          inet_listener pop3 {
            address = 127.0.0.1
            port = \(pop3)
          }
          inet_listener pop3s {
            address = 127.0.0.1
            port = \(pop3s)
            \(certificates == nil ? "" : "ssl = yes")
          }
        }

        """.utf8).write(to: configuration)
        // In the foreground (-F), as this process's child: stopped by its pid, never daemonised
        // out of reach.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/dovecot")
        process.arguments = ["-F", "-c", configuration.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = TestDovecot(imapPort: imap, pop3Port: pop3, imapsPort: imaps, pop3sPort: pop3s, mailRoot: mail,
                                 directory: directory, configuration: configuration, process: process)
        do {
            try await SinkPorts.waitUntilListening(imap)
            try await SinkPorts.waitUntilListening(pop3)
        } catch {
            let log = (try? String(contentsOf: directory.appendingPathComponent("dovecot.log"), encoding: .utf8)) ?? ""
            server.stop()
            throw Error.startFailed(status: process.isRunning ? 0 : process.terminationStatus, log: "\(error); \(log)")
        }
        return server
    }

    deinit { stop() }

    /// Stops a private instance by its pid and removes its files; the shared server is left alone.
    /// SIGKILL, because a child of the test runner inherits its blocked SIGTERM; Dovecot's own
    /// children leave when their master is gone.
    public func stop() {
        guard let directory else { return }
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    public func imapURL(folder: String = "INBOX", tls: Bool = false) -> String {
        tls ? "imaps://\(Self.user):\(Self.password)@\(host):\(imapsPort)/\(folder)"
            : "imap://\(Self.user):\(Self.password)@\(host):\(imapPort)/\(folder)"
    }

    public func pop3URL(tls: Bool = false) -> String {
        tls ? "pop3s://\(Self.user):\(Self.password)@\(host):\(pop3sPort)" : "pop3://\(Self.user):\(Self.password)@\(host):\(pop3Port)"
    }

    /// The Maildir of `folder` (nil = INBOX), Maildir++ layout.
    public func maildir(folder: String? = nil, user: String = TestDovecot.user) -> URL {
        let root = mailRoot.appendingPathComponent(user).appendingPathComponent("Maildir")
        return folder.map { root.appendingPathComponent(".\($0)") } ?? root
    }

    /// Writes each message into `new/` of `folder` (created when missing), owned by `mail`, as a
    /// delivery agent would (tmp/ first, then rename). Returns the file names.
    @discardableResult
    public func deliver(_ messages: [[UInt8]], folder: String? = nil, user: String = TestDovecot.user) throws -> [String] {
        let manager = FileManager.default
        let home = mailRoot.appendingPathComponent(user)
        var chain = [home, home.appendingPathComponent("Maildir")]
        let box = maildir(folder: folder, user: user)
        if folder != nil { chain.append(box) }
        for sub in ["cur", "new", "tmp"] { chain.append(box.appendingPathComponent(sub)) }
        for directory in chain where !manager.fileExists(atPath: directory.path) {
            try manager.createDirectory(at: directory, withIntermediateDirectories: false)
            try manager.setAttributes([.ownerAccountID: Self.mailUID, .groupOwnerAccountID: Self.mailGID, .posixPermissions: 0o700],
                                      ofItemAtPath: directory.path)
        }
        var names: [String] = []
        for (index, message) in messages.enumerated() {
            let name = "\(Int(Date().timeIntervalSince1970)).M\(index)P\(getpid())R\(UInt32.random(in: 0...UInt32.max)).facteur-test"
            let temporary = box.appendingPathComponent("tmp").appendingPathComponent(name)
            try Data(message).write(to: temporary)
            try manager.setAttributes([.ownerAccountID: Self.mailUID, .groupOwnerAccountID: Self.mailGID], ofItemAtPath: temporary.path)
            try manager.moveItem(at: temporary, to: box.appendingPathComponent("new").appendingPathComponent(name))
            names.append(name)
        }
        return names
    }

    /// Removes a test's folder (never INBOX), so the shared server does not collect them.
    public func removeFolder(_ folder: String, user: String = TestDovecot.user) {
        try? FileManager.default.removeItem(at: maildir(folder: folder, user: user))
    }

    /// The files now in `new/` and `cur/` of `folder`, as `new/NAME` or `cur/NAME:2,FLAGS`.
    public func files(folder: String? = nil, user: String = TestDovecot.user) -> [String] {
        let box = maildir(folder: folder, user: user)
        return ["new", "cur"].flatMap { sub in
            ((try? FileManager.default.contentsOfDirectory(atPath: box.appendingPathComponent(sub).path)) ?? [])
                .filter { !$0.hasPrefix(".") }.map { "\(sub)/\($0)" }
        }.sorted()
    }
}
