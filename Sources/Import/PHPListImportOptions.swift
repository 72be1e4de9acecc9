import MariaDB
import PHPList

/// What `facteur import phplist` was asked to do.
public struct PHPListImportOptions: Sendable {
    /// The older PHPList database.
    public var source: MariaDBConfiguration
    /// The source's `$table_prefix` / `$usertable_prefix`.
    public var sourceTables: TableNames
    /// The target's (the PHPList 3 installation Facteur serves).
    public var targetTables: TableNames
    /// Report what would happen; write nothing (everything runs in one transaction rolled back at the end).
    public var dryRun: Bool
    /// Import a list whose name the target already has as a separate list instead of merging them.
    public var keepListsApart: Bool
    /// Source rows per batch (one transaction each).
    public var batchSize: Int
    /// Test hook: the process exits (status 75) right after committing this batch of this step, to
    /// simulate a kill. Set by the CLI from FACTEUR_IMPORT_TEST_EXIT_AFTER=step:batch.
    public var exitAfter: ExitPoint?

    public struct ExitPoint: Sendable, Equatable {
        public let step: String
        public let batch: Int
        /// Exit with the batch's transaction still open (the server rolls it back), as a kill during a batch.
        public let beforeCommit: Bool

        public init(step: String, batch: Int, beforeCommit: Bool = false) {
            self.step = step
            self.batch = batch
            self.beforeCommit = beforeCommit
        }

        /// `subscribers:3` → after batch 3 of step "subscribers" commits; `subscribers:3:uncommitted` → during it.
        public init?(_ text: String) {
            let parts = text.split(separator: ":")
            guard parts.count == 2 || (parts.count == 3 && parts[2] == "uncommitted"), let batch = Int(parts[1]), batch > 0 else {
                return nil
            }
            self.init(step: String(parts[0]), batch: batch, beforeCommit: parts.count == 3)
        }
    }

    public init(source: MariaDBConfiguration, sourceTables: TableNames = TableNames(), targetTables: TableNames = TableNames(),
                dryRun: Bool = false, keepListsApart: Bool = false, batchSize: Int = 1000, exitAfter: ExitPoint? = nil) {
        self.source = source
        self.sourceTables = sourceTables
        self.targetTables = targetTables
        self.dryRun = dryRun
        self.keepListsApart = keepListsApart
        self.batchSize = batchSize
        self.exitAfter = exitAfter
    }

    /// Names the source in Facteur's ledger: where it is and under which prefixes (never the password).
    public var sourceKey: String {
        "phplist:\(source.socket ?? "\(source.host):\(source.port)")/\(source.database ?? "")|\(sourceTables.prefix)|\(sourceTables.userPrefix)"
    }
}
