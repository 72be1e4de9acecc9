import Foundation
import Logging
import MariaDB
import PHPList

/// `facteur import phplist`: copies an older PHPList database into the target PHPList 3 database,
/// merging rather than clobbering (see each step). Runs on one target connection (a pool thread)
/// and one source connection; progress goes to `progress` after every batch.
public struct PHPListImporter: Sendable {
    public let target: MariaDBPool
    public let options: PHPListImportOptions
    public let logger: Logger

    public init(target: MariaDBPool, options: PHPListImportOptions, logger: Logger = Logger(label: "facteur.import")) {
        self.target = target
        self.options = options
        self.logger = logger
    }

    public func run(progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }) async throws -> ImportReport {
        let options = self.options
        let logger = self.logger
        return try await target.withConnection { connection in
            let source = try MariaDBConnection(configuration: options.source)
            let session = try ImportSession(source: source, target: connection, options: options, logger: logger, progress: progress)
            return try session.run()
        }
    }
}
