import Crypto
import Foundation
import Logging
import MariaDB
import PHPList
import Synchronization

/// Turns bounce messages into PHPList's rows, as PHPList 3.6.15's processbounces would (policy `phplist`)
/// or with Facteur's additions (policy `facteur`). Every intake (IMAP, POP3, mbox, Maildir, the inbound
/// listener) hands each message to `process`, deletes it from its mailbox only after `process` returned,
/// and calls `applyRulesAndThresholds` once at the end of a batch.
public final class BounceProcessor: Sendable {
    public let database: PHPListDatabase
    public let settings: BounceProcessingSettings
    let logger: Logger
    let crash: CrashHook?
    /// Processed bounces by reason and severity (swift-metrics).
    public let metrics: BounceMetrics

    public init(database: PHPListDatabase, settings: BounceProcessingSettings, logger: Logger, metrics: BounceMetrics = BounceMetrics()) {
        self.database = database
        self.settings = settings
        self.logger = logger
        self.crash = settings.crashPoint.flatMap(CrashHook.init)
        self.metrics = metrics
    }

    /// Processes one raw message (any bytes: malformed input is stored as `unidentified bounce`).
    /// Committed when it returns; throws only when the database fails, in which case nothing was written
    /// and the message must stay in its mailbox. `envelopeRecipient` is the RCPT TO the inbound listener saw.
    public func process(_ raw: [UInt8], source: String, envelopeRecipient: String? = nil) async throws -> BounceOutcome {
        try await process(prepare(raw, envelopeRecipient: envelopeRecipient), source: source)
    }

    /// The part of processing that needs no database (parsing, classification, PHPList's header search,
    /// VERP check, SHA-256): pure CPU, safe to run anywhere.
    public func prepare(_ raw: [UInt8], envelopeRecipient: String? = nil) -> PreparedBounce {
        PreparedBounce(analysis: BounceAnalysis(raw: raw, settings: settings, envelopeRecipient: envelopeRecipient))
    }

    /// Writes a prepared bounce (one transaction); same contract as `process(_:source:envelopeRecipient:)`.
    public func process(_ prepared: PreparedBounce, source: String) async throws -> BounceOutcome {
        let analysis = prepared.analysis
        let settings = self.settings
        let tables = database.tables
        let crash = self.crash
        var attempt = 0
        while true {
            attempt += 1
            do {
                let outcome = try await database.pool.transaction { connection in
                    let writer = PHPListBounceWriter(connection: connection, tables: tables)
                    let outcome = try BounceRecorder(writer: writer, settings: settings, analysis: analysis)
                        .record(source: source)
                    if let providers = settings.providerStats {
                        try ProviderBounceCount(providers: providers).record(analysis, outcome: outcome, connection: connection)
                    }
                    crash?.reached()
                    return outcome
                }
                log(outcome, source: source, size: analysis.size)
                return outcome
            } catch is BounceRecorder.AlreadySeen {
                let sha256 = analysis.sha256
                let first = try await database.pool.withConnection {
                    try PHPListBounceWriter(connection: $0, tables: tables).seenBounce(sha256: sha256)
                }
                let outcome = BounceOutcome(disposition: .alreadySeen, bounceID: first ?? nil, status: "", comment: "",
                                            campaignID: nil, subscriberID: nil, identifiedBy: nil, reason: .undefined,
                                            isHard: false, action: .count, sha256: analysis.sha256Hex)
                log(outcome, source: source, size: analysis.size)
                return outcome
            } catch let error as MariaDBError where error.serverCode == 1213 && attempt < 4 {
                // Deadlock with a concurrent bounce for the same subscriber or campaign: InnoDB rolled back; redo.
                logger.debug("bounce transaction deadlocked, retrying", metadata: ["source": "\(source)", "attempt": "\(attempt)"])
            }
        }
    }

    /// Writes many prepared bounces in one transaction (`BounceBatchWriter`): the same rows as `process`
    /// for each, in order, committed together when it returns (a crash before that leaves none of them).
    /// A batch that meets a concurrent process's copy of one of its messages is redone one bounce at a
    /// time. Outcomes are in the order of `batch`.
    public func process(batch: [(source: String, bounce: PreparedBounce)]) async throws -> [BounceOutcome] {
        guard batch.count > 1 else {
            return try await batch.asyncMap { try await process($0.bounce, source: $0.source) }
        }
        let items = batch.map { BounceBatchWriter.Item(source: $0.source, analysis: $0.bounce.analysis) }
        let settings = self.settings
        let tables = database.tables
        let crash = self.crash
        var attempt = 0
        while true {
            attempt += 1
            do {
                let outcomes = try await database.pool.transaction { connection in
                    let outcomes = try BounceBatchWriter(connection: connection, tables: tables, settings: settings, crash: crash)
                        .write(items)
                    if let providers = settings.providerStats {
                        let count = ProviderBounceCount(providers: providers)
                        for (outcome, item) in zip(outcomes, items) {
                            try count.record(item.analysis, outcome: outcome, connection: connection)
                        }
                    }
                    return outcomes
                }
                for (outcome, item) in zip(outcomes, items) { log(outcome, source: item.source, size: item.analysis.size) }
                return outcomes
            } catch is BounceBatchWriter.ConcurrentDuplicate {
                logger.debug("a bounce of the batch was recorded concurrently; recording the batch one by one")
                return try await batch.asyncMap { try await process($0.bounce, source: $0.source) }
            } catch let error as MariaDBError where error.serverCode == 1213 && attempt < 4 {
                logger.debug("bounce batch transaction deadlocked, retrying", metadata: ["attempt": "\(attempt)"])
            }
        }
    }

    private func log(_ outcome: BounceOutcome, source: String, size: Int) {
        metrics.record(outcome)
        var metadata: Logger.Metadata = ["source": "\(source)", "size": "\(size)", "sha256": "\(outcome.sha256.prefix(16))"]
        if let id = outcome.bounceID { metadata["bounce"] = "\(id)" }
        switch outcome.disposition {
        case .alreadySeen:
            logger.info("bounce already processed, not counted again", metadata: metadata)
        case .skipped:
            logger.info("MS Exchange delay notice skipped, as PHPList does", metadata: metadata)
        case .recorded where !outcome.isProcessed:
            logger.notice("bounce not identified: stored as 'unidentified bounce' for a human to see", metadata: metadata)
        case .recorded:
            metadata["status"] = "\(outcome.status)"
            metadata["reason"] = "\(outcome.reason.rawValue)"
            logger.debug("bounce recorded", metadata: metadata)
        }
    }
}

/// A bounce parsed and classified, ready to be written (`BounceProcessor.prepare`).
public struct PreparedBounce: Sendable {
    let analysis: BounceAnalysis
}

/// Everything decided from the bytes alone, before the database is touched.
struct BounceAnalysis: Sendable {
    let sha256: [UInt8]
    let size: Int
    let view: PHPListBounceView
    let headerText: String
    let fields: [HeaderField]
    let parsed: ParsedBounce
    let unixDate: Int?
    let phpMessageID: String?
    let phpSubscriberToken: String?
    let verp: VERPLocator.Finding?
    let isExchangeDelay: Bool

    init(raw: [UInt8], settings: BounceProcessingSettings, envelopeRecipient: String?) {
        sha256 = Array(SHA256.hash(data: raw))
        size = raw.count
        view = PHPListBounceView(raw: raw)
        headerText = view.headerText
        let fields = HeaderSectionParser.parseFields(view.header[...])
        self.fields = fields
        parsed = BounceParser.parse(raw)
        unixDate = fields.first { $0.name.lowercased() == "date" }.flatMap { MailDateParser.unixTime($0.rawValue) }
        phpMessageID = PHPListHeaderSearch.messageID(in: view.body)
        phpSubscriberToken = PHPListHeaderSearch.subscriberToken(in: view.body)
        verp = settings.verp.map { VERPLocator.locate(envelopeRecipient: envelopeRecipient, headers: fields, config: $0) }
        isExchangeDelay = Self.exchangeDelay(self.view.body)
    }

    var sha256Hex: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: sha256.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }

    /// `/Action: delayed\s+Status: 4\.4\.7/im`.
    static func exchangeDelay(_ body: [UInt8]) -> Bool {
        let action = Array("action: delayed".utf8)
        let status = Array("status: 4.4.7".utf8)
        var from = 0
        while let start = ByteScan.firstCaseInsensitive(action, in: body[...], from: from) {
            var index = start + action.count
            var blanks = 0
            while index < body.count, [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C].contains(body[index]) { index += 1; blanks += 1 }
            if blanks > 0, PHPListHeaderSearch.matches(status, in: body, at: index) { return true }
            from = start + 1
        }
        return false
    }
}

/// `FACTEUR_TEST_CRASH_AT=bounce-before-commit[:N]`: the process dies inside the N-th transaction.
final class CrashHook: Sendable {
    let at: Int
    let seen = Mutex(0)

    init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.first == "bounce-before-commit" else { return nil }
        at = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
    }

    func reached() {
        let count = seen.withLock { value -> Int in
            value += 1
            return value
        }
        if count == at {
            FileHandle.standardError.write(Data("facteur: FACTEUR_TEST_CRASH_AT reached at bounce \(count), exiting before COMMIT\n".utf8))
            _exit(86)
        }
    }
}

extension Array {
    /// Sequential async map (order and one-at-a-time are the point: each call is a transaction).
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        results.reserveCapacity(count)
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
