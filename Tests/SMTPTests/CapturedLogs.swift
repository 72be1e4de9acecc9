import Logging
import NIOConcurrencyHelpers

/// A log handler that keeps every record, so tests can check what an operator would see
/// (the tls_verify warning) and what must never be there (credentials).
final class CapturedLogs: Sendable {
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: String
    }

    private let records = NIOLockedValueBox<[Record]>([])

    /// A logger at `level` that records into this capture.
    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "facteur.smtp.test") { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    var all: [Record] { records.withLockedValue { $0 } }

    /// Every message and its metadata, one line each.
    var text: String { all.map { "\($0.level) \($0.message) \($0.metadata)" }.joined(separator: "\n") }

    fileprivate func append(_ record: Record) {
        records.withLockedValue { $0.append(record) }
    }

    private struct Handler: LogHandler {
        let capture: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append(Record(level: event.level, message: "\(event.message)",
                                  metadata: merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))
        }
    }
}
