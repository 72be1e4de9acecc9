import Foundation
import Logging
import MariaDB
import PHPList

/// One run of a PHPList import: both databases' layouts, the ledger, the report, and the batch
/// discipline (each batch one transaction with its ledger rows; a dry run is one transaction rolled back).
final class ImportSession {
    let source: MariaDBConnection
    let target: MariaDBConnection
    let options: PHPListImportOptions
    let logger: Logger
    let progress: (ImportProgress) -> Void
    let sourceLayout: DatabaseLayout
    let targetLayout: DatabaseLayout
    let ledger: ImportLedger
    var report = ImportReport()
    private var batchesCommitted: [String: Int] = [:]

    var src: TableNames { options.sourceTables }
    var dst: TableNames { options.targetTables }
    var batchSize: Int { options.batchSize }

    init(source: MariaDBConnection, target: MariaDBConnection, options: PHPListImportOptions, logger: Logger,
         progress: @escaping (ImportProgress) -> Void) throws {
        self.source = source
        self.target = target
        self.options = options
        self.logger = logger
        self.progress = progress
        sourceLayout = try DatabaseLayout.read(source, tables: options.sourceTables)
        targetLayout = try DatabaseLayout.read(target, tables: options.targetTables)
        guard sourceLayout.table(options.sourceTables.user) != nil, sourceLayout.table(options.sourceTables.message) != nil else {
            throw ImportError.notPHPList(database: sourceLayout.database, prefix: options.sourceTables.prefix,
                                         userPrefix: options.sourceTables.userPrefix)
        }
        guard let users = targetLayout.table(options.targetTables.user), users.has("uuid") else {
            throw ImportError.targetNotPHPList3(database: targetLayout.database,
                                                detail: "no \(options.targetTables.user) table with a uuid column")
        }
        if sourceLayout.database == targetLayout.database, options.source.host == target.configuration.host,
           options.source.port == target.configuration.port, options.sourceTables == options.targetTables {
            throw ImportError.sameDatabase(sourceLayout.database)
        }
        ledger = try ImportLedger(target: target, sourceKey: options.sourceKey)
        report.source = options.source.redacted
        report.sourceVersion = sourceLayout.version ?? "unknown"
        report.sourceGeneration = sourceLayout.generation
        report.dryRun = options.dryRun
    }

    func run() throws -> ImportReport {
        let runID = try startRun()
        if options.dryRun { try target.execute("START TRANSACTION") }
        do {
            try importAttributes()
            try importLists()
            try importTemplates()
            try importTemplateImages()
            try importSubscribers()
            try importBlacklist()
            try importCampaigns()
            try importSendHistory()
            try importBounces()
            try importSubscriberHistory()
            try importLinkTracking()
            try importLegacyLinks()
            try importViews()
            try recomputeCampaignBounceCounts()
            try recomputeSubscriberBounceCounts()
            try compareConfig()
            try noteWhatIsNotImported()
        } catch {
            if options.dryRun { _ = try? target.execute("ROLLBACK") }
            try? finishRun(runID, status: "failed")
            throw error
        }
        if options.dryRun { try target.execute("ROLLBACK") }
        try finishRun(runID, status: options.dryRun ? "dry-run" : "finished")
        return report
    }

    // MARK: batches

    /// Runs `body` as one committed batch of `step` whose last source key is `lastID`.
    func batch(_ step: String, lastID: Int64, done: Int, total: Int?, _ body: () throws -> Void) throws {
        let count = (batchesCommitted[step] ?? 0) + 1
        if !options.dryRun { try target.execute("START TRANSACTION") }
        do {
            try body()
            try ledger.flush()
            try ledger.advance(step, to: lastID)
            if let exit = options.exitAfter, exit.beforeCommit, exit.step == step, exit.batch == count {
                logger.warning("test hook: exiting during batch \(count) of \(step), before its commit")
                Foundation.exit(75)
            }
            if !options.dryRun { try target.execute("COMMIT") }
        } catch {
            if !options.dryRun {
                _ = try? target.execute("ROLLBACK")
                ledger.discardPending()
            }
            throw error
        }
        progress(ImportProgress(step: step, done: done, total: total))
        batchesCommitted[step] = count
        if let exit = options.exitAfter, !exit.beforeCommit, exit.step == step, exit.batch == count {
            logger.warning("test hook: exiting after batch \(count) of \(step)")
            Foundation.exit(75)
        }
    }

    /// Source rows of `table` with `keyColumn` above the step's last committed key, `batchSize` at a time.
    func forEachSourcePage(_ step: String, table: TableLayout, keyColumn: String = "id", columns: [String]? = nil,
                           where condition: String = "1",
                           _ body: ([SourceRow], _ done: Int, _ total: Int) throws -> Void) throws {
        var last = try ledger.position(step).lastSourceID
        let total = try source.query("SELECT COUNT(*) AS n FROM `\(table.name)` WHERE \(condition)").first?.decode("n", as: Int.self) ?? 0
        var done = try source.query("SELECT COUNT(*) AS n FROM `\(table.name)` WHERE \(condition) AND `\(keyColumn)` <= ?", [last])
            .first?.decode("n", as: Int.self) ?? 0
        let list = columns.map { ([keyColumn] + $0).uniqued() }
        while true {
            let rows = try source.query(
                "SELECT \(table.selectList(list)) FROM `\(table.name)` WHERE \(condition) AND `\(keyColumn)` > ? ORDER BY `\(keyColumn)` LIMIT \(batchSize)",
                [last]
            ).map { table.decode($0, stats: &report.encoding) }
            guard let lastRow = rows.last, let key = lastRow.int(keyColumn) else { break }
            done += rows.count
            try batch(step, lastID: key, done: done, total: total) {
                try body(rows, done, total)
            }
            last = key
        }
    }

    // MARK: run records

    private func startRun() throws -> Int64 {
        guard !options.dryRun else { return 0 }
        return Int64(try target.execute(
            "INSERT INTO facteur_import_runs (source_key, kind, started, status) VALUES (?, 'phplist', NOW(), 'running')",
            [options.sourceKey]
        ).lastInsertID)
    }

    private func finishRun(_ id: Int64, status: String) throws {
        guard id > 0 else { return }
        try target.execute("UPDATE facteur_import_runs SET finished = NOW(), status = ?, report = ? WHERE id = ?",
                           [status, report.text, id])
    }

    // MARK: helpers

    func sourceTable(_ name: String) -> TableLayout? { sourceLayout.table(name) }

    func targetTable(_ name: String) throws -> TableLayout {
        guard let table = targetLayout.table(name) else {
            throw ImportError.targetNotPHPList3(database: targetLayout.database, detail: "table \(name) is missing")
        }
        return table
    }

    /// Inserts rows into `table`, only the columns it has (a 2.x row may lack some, a 3.x table may lack others).
    @discardableResult
    func insert(into table: TableLayout, columns: [String], rows: [SourceRow], verb: String = "INSERT") throws -> UInt64 {
        guard !rows.isEmpty else { return 0 }
        let present = columns.filter(table.has)
        let sql = "\(verb) INTO `\(table.name)` (\(present.map { "`\($0)`" }.joined(separator: ", "))) VALUES ("
            + present.map { _ in "?" }.joined(separator: ", ") + ")"
        return try target.executeBatch(sql, rows: rows.map { row in present.map { row[$0] as any MariaDBEncodable } })
    }

    /// Columns present in both the source and the target table, without `excluded`.
    func sharedColumns(_ source: TableLayout, _ target: TableLayout, excluding excluded: Set<String> = ["id"]) -> [String] {
        source.columns.map(\.name).filter { target.has($0) && !excluded.contains($0) }
    }

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
