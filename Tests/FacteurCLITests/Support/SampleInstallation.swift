import FacteurTesting
import Foundation
import MariaDB

/// A PHPList installation as an operator has it: a copy of the queued sample database with Facteur's
/// tables, PHPList's config.php (envelope, attachments), a facteur.yaml relaying to an smtp-sink of
/// this test, and the built `facteur` binary to run against it.
struct SampleInstallation {
    let database: TestDatabase
    let pool: MariaDBPool
    let sink: SinkProcess
    let config: String
    let facteur: FacteurCommand

    /// `relay` replaces the smtp-sink as the configured relay (an aiosmtpd sink with fault injection).
    static func start(connections: Int = 4, relay: String? = nil) async throws -> SampleInstallation {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        let pool = database.pool()
        let sink = try await SinkProcess.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-\(UUID().uuidString)")
        let config = try InstallationFiles.write(into: directory, databaseURL: database.url, relayURL: relay ?? sink.url,
                                                 connections: connections)
        let facteur = try FacteurCommand.built()
        let installation = SampleInstallation(database: database, pool: pool, sink: sink, config: config, facteur: facteur)
        let migrate = try await facteur.run(["--config", config, "migrate"])
        guard migrate.status == 0 else { throw SetupFailure(message: "facteur migrate: \(migrate.standardError)") }
        return installation
    }

    struct SetupFailure: Error, CustomStringConvertible { let message: String; var description: String { message } }

    func count(_ sql: String) async throws -> Int { try await pool.query(sql)[0].decode(0, as: Int.self) }

    func status(of campaign: Int = 2) async throws -> String {
        try await pool.query("SELECT status FROM phplist_message WHERE id = ?", [campaign])[0].decode(0, as: String.self)
    }

    /// Campaign deliveries at the sink (admin mails left out), one entry per RCPT.
    func deliveredRecipients() throws -> [String] {
        try sink.messages().filter { !$0.isSystemMail }.flatMap(\.rcptArgs)
    }

    /// The valid subscribers the sample campaign goes to.
    static let validRecipients = 1996

    func stop() async {
        sink.stop()
        await pool.shutdown()
        try? await database.drop()
    }
}
