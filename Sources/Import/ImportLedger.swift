import Foundation
import MariaDB

/// Facteur's record of one source in the target (`facteur_import_progress` and `facteur_import_map`),
/// written inside the transaction of the batch it describes, so a committed batch is never redone
/// and a rolled-back one leaves no trace.
final class ImportLedger {
    let target: MariaDBConnection
    let sourceKey: String
    private var maps: [String: [Int64: Int64]] = [:]
    private var pendingMap: [[any MariaDBEncodable]] = []

    init(target: MariaDBConnection, sourceKey: String) throws {
        self.target = target
        self.sourceKey = sourceKey
        let present = try target.query(
            "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                + "AND TABLE_NAME IN ('facteur_import_runs', 'facteur_import_progress', 'facteur_import_map')"
        ).first?.decode("n", as: Int.self) ?? 0
        guard present == 3 else {
            let database = try target.query("SELECT DATABASE() AS db").first?.decode("db", as: String?.self)
            throw ImportError.facteurTablesMissing(database: (database ?? nil) ?? "?")
        }
        try target.forEachRow("SELECT kind, source_id, target_id FROM facteur_import_map WHERE source_key = ?", [sourceKey]) { row in
            self.maps[try row.decode("kind", as: String.self), default: [:]][try row.decode("source_id", as: Int64.self)] =
                try row.decode("target_id", as: Int64.self)
        }
    }

    func map(_ kind: String) -> [Int64: Int64] { maps[kind] ?? [:] }

    func lookup(_ kind: String, _ sourceID: Int64) -> Int64? { maps[kind]?[sourceID] }

    /// Records source → target; written with the next `flush` (inside the batch's transaction).
    func record(_ kind: String, _ sourceID: Int64, _ targetID: Int64) {
        maps[kind, default: [:]][sourceID] = targetID
        pendingMap.append([sourceKey, kind, sourceID, targetID])
    }

    func flush() throws {
        guard !pendingMap.isEmpty else { return }
        _ = try target.executeBatch(
            "INSERT INTO facteur_import_map (source_key, kind, source_id, target_id) VALUES (?, ?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE target_id = VALUES(target_id)",
            rows: pendingMap
        )
        pendingMap.removeAll(keepingCapacity: true)
    }

    /// Forgets unflushed map entries after a rollback (dry runs keep them: they roll back at the end).
    func discardPending() {
        for row in pendingMap {
            if let kind = row[1] as? String, let id = row[2] as? Int64 { maps[kind]?[id] = nil }
        }
        pendingMap.removeAll()
    }

    struct Position {
        var lastSourceID: Int64
        var done: Bool
    }

    func position(_ step: String) throws -> Position {
        let row = try target.query(
            "SELECT last_source_id, done FROM facteur_import_progress WHERE source_key = ? AND step = ?", [sourceKey, step]
        ).first
        return Position(lastSourceID: try row?.decode("last_source_id", as: Int64.self) ?? 0,
                        done: (try row?.decode("done", as: Int.self) ?? 0) != 0)
    }

    func advance(_ step: String, to lastSourceID: Int64, done: Bool = false) throws {
        try target.execute(
            """
            INSERT INTO facteur_import_progress (source_key, step, last_source_id, done, updated) VALUES (?, ?, ?, ?, NOW())
            ON DUPLICATE KEY UPDATE last_source_id = VALUES(last_source_id), done = VALUES(done), updated = NOW()
            """,
            [sourceKey, step, lastSourceID, done ? 1 : 0]
        )
    }
}
