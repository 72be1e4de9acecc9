import MariaDB

/// PHPList's page lock (`sendprocess`, admin/lib.php getPageLock/keepLock/releaseLock), held by Facteur
/// so PHPList's own processqueue sees the queue busy while Facteur sends.
public struct SendProcessLock: Sendable {
    /// PHPList treats a row silent for longer than this as a dead process.
    public static let staleAfterSeconds = 600
    /// Facteur's rows say `facteur:<pid>@<host>`; PHPList's say `<servername>:<pid>` or an IP.
    public static let facteurPrefix = "facteur:"

    public let id: Int
    public let page: String
    public let ipaddress: String

    public init(id: Int, page: String, ipaddress: String) {
        self.id = id
        self.page = page
        self.ipaddress = ipaddress
    }

    /// `facteur:<pid>@<host>` cut to the column's 50 characters.
    public static func facteurIdentity(pid: Int32, host: String) -> String {
        String("\(facteurPrefix)\(pid)@\(host)".prefix(50))
    }
}

/// A live lock row held by some other process.
public struct SendProcessHolder: Sendable, Equatable {
    public let id: Int
    public let ipaddress: String
    public let ageSeconds: Int
    public var isFacteur: Bool { ipaddress.hasPrefix(SendProcessLock.facteurPrefix) }
}

extension PHPListDatabase {
    /// Live rows of `page` younger than PHPList's stale limit, newest first (PHPList's own busy query).
    public func liveSendProcesses(page: String = "processqueue") async throws -> [SendProcessHolder] {
        let rows = try await pool.query(
            """
            SELECT id, COALESCE(ipaddress, '') AS ip, TIMESTAMPDIFF(SECOND, modified, NOW()) AS age
            FROM \(tables.sendProcess) WHERE page = ? AND alive ORDER BY started DESC
            """, [page])
        return try rows.map {
            SendProcessHolder(id: try $0.decode("id"), ipaddress: try $0.decode("ip"),
                              ageSeconds: try $0.decode("age", as: Int?.self) ?? 0)
        }.filter { $0.ageSeconds <= SendProcessLock.staleAfterSeconds }
    }

    /// Inserts Facteur's lock row (`started=now(), alive=1`), as PHPList's getPageLock does.
    public func acquireSendProcessLock(page: String = "processqueue", ipaddress: String) async throws -> SendProcessLock {
        let result = try await pool.execute(
            "INSERT INTO \(tables.sendProcess) (started, page, alive, ipaddress) VALUES (NOW(), ?, 1, ?)",
            [page, String(ipaddress.prefix(50))])
        return SendProcessLock(id: Int(result.lastInsertID), page: page, ipaddress: String(ipaddress.prefix(50)))
    }

    /// `alive = alive + 1`, which also refreshes `modified` (PHPList's keepLock). Returns false when the row
    /// is gone or was set dead by another process (`processqueue -f`).
    @discardableResult
    public func keepSendProcessLock(_ lock: SendProcessLock) async throws -> Bool {
        try await pool.execute("UPDATE \(tables.sendProcess) SET alive = alive + 1 WHERE id = ? AND alive > 0", [lock.id])
            .affectedRows == 1
    }

    public func releaseSendProcessLock(_ lock: SendProcessLock) async throws {
        try await pool.execute("DELETE FROM \(tables.sendProcess) WHERE id = ?", [lock.id])
    }
}
