import MariaDB

/// One `eventlog` line, its time already in PHP's `date('D j M Y H:i')` form as processqueue's report
/// prints it.
public struct EventLogLine: Sendable, Equatable {
    public let id: Int
    public let time: String
    public let entry: String
}

extension PHPListDatabase {
    /// The newest `eventlog` id (0 when empty): a run remembers it to report its own lines later.
    public func lastEventLogID() async throws -> Int {
        let rows = try await pool.query("SELECT COALESCE(MAX(id), 0) AS last FROM \(tables.eventLog)")
        return try rows.first?.decode("last", as: Int.self) ?? 0
    }

    /// The lines of `page` written after `id`, oldest first.
    public func eventLogLines(after id: Int, page: String = "processqueue") async throws -> [EventLogLine] {
        let rows = try await pool.query(
            """
            SELECT id, DATE_FORMAT(entered, '%a %e %b %Y %H:%i') AS time, entry FROM \(tables.eventLog)
            WHERE id > ? AND page = ? ORDER BY id
            """, [id, page])
        return try rows.map {
            EventLogLine(id: try $0.decode("id"), time: try $0.decode("time", as: String?.self) ?? "",
                         entry: try $0.decode("entry", as: String?.self) ?? "")
        }
    }
}
