import FacteurTesting
import Foundation
import MariaDB
import PHPList
@testable import Bounces

/// A PHPList database after campaign 2 was sent (`sample-sent.sql.gz`), migrated by `facteur migrate`,
/// with the bounce rule of PHPList's reference run, and a `facteur.yaml` of the test's choosing: the
/// real `facteur` binary is run against it as an operator would.
struct BounceInstallation {
    let fixture: ProcessingFixture
    let directory: URL
    let facteur: FacteurCommand
    /// Ids before processing, so the comparison sees only the new history and event lines.
    let historyAfter: Int
    let eventsAfter: Int

    var config: String { directory.appendingPathComponent("facteur.yaml").path }

    static func make() async throws -> BounceInstallation {
        let database = try await TestDatabase.create(loading: .sampleSent)
        let pool = database.pool()
        let fixture = ProcessingFixture(database: database, pool: pool, phplist: PHPListDatabase(pool: pool))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-bounces-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let facteur = try FacteurCommand.built()
        try "database:\n  url: \(database.url)\n".write(to: directory.appendingPathComponent("facteur.yaml"), atomically: true, encoding: .utf8)
        let migrate = try await facteur.run(["--config", directory.appendingPathComponent("facteur.yaml").path, "migrate"])
        guard migrate.status == 0 else { throw SetupFailure(message: "facteur migrate: \(migrate.standardError)") }
        try await pool.execute(
            """
            INSERT INTO phplist_bounceregex (regex, regexhash, action, listorder, admin, comment, status, count)
            VALUES ('user unknown', MD5('user unknown'), 'blacklistuser', 0, 1, 'hard bounce: unknown mailbox', 'active', 0)
            """)
        return BounceInstallation(
            fixture: fixture, directory: directory, facteur: facteur,
            historyAfter: try await fixture.int("SELECT MAX(id) FROM phplist_user_user_history"),
            eventsAfter: try await fixture.int("SELECT MAX(id) FROM phplist_eventlog"))
    }

    struct SetupFailure: Error, CustomStringConvertible { let message: String; var description: String { message } }

    /// Writes facteur.yaml: the database, then `yaml` (top-level keys, e.g. a `bounces:` section).
    func configure(_ yaml: String) throws {
        try "database:\n  url: \(fixture.database.url)\n\(yaml)".write(toFile: config, atomically: true, encoding: .utf8)
    }

    /// `bounces:` with the policy and the mailboxes given as YAML entries.
    func configure(policy: String, mailboxes: [String], extra: String = "") throws {
        var yaml = "bounces:\n  policy: \(policy)\n"
        if !mailboxes.isEmpty {
            yaml += "  mailboxes:\n" + mailboxes.map { "    - " + $0.replacingOccurrences(of: "\n", with: "\n      ") + "\n" }.joined()
        }
        try configure(yaml + extra)
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> FacteurCommand.Result {
        try await facteur.run(["--config", config] + arguments, environment: environment)
    }

    func snapshot() async throws -> SampleComparisonTests.Snapshot {
        try await SampleComparisonTests.snapshot(fixture, historyAfter: historyAfter, eventsAfter: eventsAfter)
    }

    /// What PHPList's processbounces left (`sample-bounced.sql.gz`), seen the same way.
    func expected() async throws -> SampleComparisonTests.Snapshot {
        let loaded = try await TestDatabase.create(loading: .sampleBounced)
        let pool = loaded.pool()
        let snapshot = try await SampleComparisonTests.snapshot(
            ProcessingFixture(database: loaded, pool: pool, phplist: PHPListDatabase(pool: pool)),
            historyAfter: historyAfter, eventsAfter: eventsAfter)
        await pool.shutdown()
        try? await loaded.drop()
        return snapshot
    }

    func tearDown() async {
        try? FileManager.default.removeItem(at: directory)
        await fixture.tearDown()
    }
}

/// The comparisons the issue asks for, shared by every intake.
enum SampleExpectation {
    /// The bounce tables proper, which both policies leave as PHPList did.
    static func bounceTableDifferences(_ actual: SampleComparisonTests.Snapshot,
                                       _ expected: SampleComparisonTests.Snapshot) -> [String] {
        var problems: [String] = []
        func check<T: Equatable>(_ name: String, _ a: T, _ b: T) { if a != b { problems.append("\(name): \(a) != \(b)") } }
        check("bounce", actual.bounces, expected.bounces)
        check("user_message_bounce", actual.userMessageBounces, expected.userMessageBounces)
        check("bounceregex", actual.rules, expected.rules)
        check("bounceregex_bounce", actual.ruleBounces, expected.ruleBounces)
        check("user_blacklist", actual.blacklist, expected.blacklist)
        check("user_blacklist_data", actual.blacklistData, expected.blacklistData)
        return problems
    }

    /// With `bounces.policy: phplist`: every compared column as PHPList left it.
    static func differencesUnderPolicyPHPList(_ actual: SampleComparisonTests.Snapshot,
                                              _ expected: SampleComparisonTests.Snapshot) -> [String] {
        var problems = bounceTableDifferences(actual, expected)
        func check<T: Equatable>(_ name: String, _ a: T, _ b: T) { if a != b { problems.append("\(name): \(a) != \(b)") } }
        check("userstats", actual.userStats, expected.userStats)
        check("user_user", actual.users, expected.users)
        check("message", actual.messages, expected.messages)
        check("user_user_history", actual.history, expected.history)
        check("eventlog", actual.events, expected.events)
        if expected.bounces.count != 4 { problems.append("the reference has \(expected.bounces.count) bounces, not 4") }
        return problems
    }

    /// With the default policy: the same, except subscriber 1202 (550 5.1.1, hard) unconfirmed, with its
    /// history line, event line and `auto unsubscribe` statistic; the soft ones keep their state.
    static func differencesUnderPolicyFacteur(_ actual: SampleComparisonTests.Snapshot,
                                              _ expected: SampleComparisonTests.Snapshot) -> [String] {
        var problems = bounceTableDifferences(actual, expected)
        func check<T: Equatable>(_ name: String, _ a: T, _ b: T) { if a != b { problems.append("\(name): \(a) != \(b)") } }
        check("message", actual.messages, expected.messages)
        let changed = zip(actual.users, expected.users).filter { $0 != $1 }
        check("changed subscribers", changed.map { $0.0.first }, [.int(1202)])
        check("1202 confirmed", changed.first?.0[2], .int(0))
        check("history added", actual.history.filter { !expected.history.contains($0) }.map { $0[2] }, [.string("Auto Unconfirmed")])
        check("events added", actual.events.filter { !expected.events.contains($0) }.count, 1)
        check("userstats added", actual.userStats.filter { !expected.userStats.contains($0) }.map { $0[0] }, [.string("auto unsubscribe")])
        return problems
    }

    /// The headers the inbound listener itself puts on top of a message (Return-Path, X-Original-To,
    /// Received by Facteur), which compat/phplist-3.6.15/bounce-exceptions.md lists as not compared.
    static func withoutListenerHeaders(_ snapshot: SampleComparisonTests.Snapshot) -> SampleComparisonTests.Snapshot {
        var copy = snapshot
        copy.bounces = snapshot.bounces.map { row in
            var row = row
            row[2] = row[2].replacingOccurrences(
                of: "^Return-Path: <[^>\\r]*>\\r\\n(?:X-Original-To: [^\\r]*\\r\\n)*Received: [^\\r]*\\(Facteur\\) with ESMTP;[^\\r]*\\r\\n",
                with: "", options: .regularExpression)
            return row
        }
        return copy
    }
}
