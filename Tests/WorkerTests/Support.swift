import FacteurTesting
import Foundation
import MariaDB
import PHPList
import SMTP
import Worker

/// A queue run against a fresh copy of a PHPList sample and an smtp-sink of the test's own.
struct WorkerHarness {
    let database: TestDatabase
    let pool: MariaDBPool
    let sink: SinkProcess

    static func start(_ fixture: TestDatabase.Fixture = .sampleQueued, sinkFlags: [String] = []) async throws -> WorkerHarness {
        let database = try await TestDatabase.create(loading: fixture)
        let pool = database.pool(maxConnections: 6)
        try await migrate(pool)
        let sink = try await SinkProcess.start(flags: sinkFlags)
        return WorkerHarness(database: database, pool: pool, sink: sink)
    }

    /// Facteur's own tables (`migrations/`), as `facteur migrate` creates them.
    static func migrate(_ pool: MariaDBPool) async throws {
        let migrations = try Migration.load(from: TestServices.repositoryRoot.appendingPathComponent("migrations"))
        _ = try await MigrationRunner(pool: pool, migrations: migrations).migrate()
    }

    var phplist: PHPListDatabase { PHPListDatabase(pool: pool) }

    /// The settings the sample was sent with: config-sample.php's envelope and USE_MANUAL_TEXT_PART,
    /// attachments from compat/.
    func settings(connections: Int = 4) throws -> WorkerSettings {
        WorkerSettings(relay: try SMTPRelayConfiguration(url: sink.url), connections: connections,
                       envelopeSender: "bounces@example.org",
                       attachmentRepository: TestServices.compatFile("phplist-3.6.15/attachments").path,
                       useManualTextPart: true, identity: WorkerSettings.defaultIdentity(),
                       retryDelay: .milliseconds(200), lockPollInterval: .milliseconds(200))
    }

    func runner(_ settings: WorkerSettings? = nil) throws -> QueueRunner {
        QueueRunner(database: phplist, settings: try settings ?? self.settings())
    }

    func stop() async {
        Self.stop(sink)
        await pool.shutdown()
        try? await database.drop()
    }

    /// smtp-sink started by FacteurTesting inherits a signal mask with SIGTERM blocked (the spawning
    /// thread's), so `SinkProcess.stop()`'s SIGTERM never ends it and its wait blocks forever. Until that is
    /// fixed there, kill this sink's own pid (found by its unique dump folder) first.
    static func stop(_ sink: SinkProcess) {
        let marker = sink.dumpDirectory.path
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                  let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let arguments = String(decoding: cmdline, as: UTF8.self)
            if arguments.hasPrefix("/usr/sbin/smtp-sink"), arguments.contains(marker) { kill(pid, SIGKILL) }
        }
        sink.stop()
    }

    /// Rows of `sql` as text (NULL as "NULL"), for comparing tables across databases.
    static func rows(_ pool: MariaDBPool, _ sql: String) async throws -> [[String]] {
        try await pool.query(sql).map { row in row.values.map(text) }
    }

    static func text(_ value: MariaDBValue) -> String {
        switch value {
        case .null: return "NULL"
        case .int(let v): return String(v)
        case .uint(let v): return String(v)
        case .double(let v): return String(v)
        case .string(let v): return v
        case .bytes(let v): return String(decoding: v, as: UTF8.self)
        case .datetime(let v): return v.sql
        }
    }

    func count(_ sql: String) async throws -> Int {
        try await pool.query(sql).first?.decode(0, as: Int?.self) ?? -1
    }
}
