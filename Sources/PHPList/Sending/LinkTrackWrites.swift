import Foundation
import MariaDB

/// `linktrack_forward` (one row per tracked URL, created on first use) and `linktrack_ml.total`
/// (how many times each link was put in a message of a campaign).
extension PHPListDatabase {
    /// Ensures a forward row for each URL (urlhash = md5(url), a v4 uuid) and returns uuid and id by URL.
    public func ensureLinkTrackForwards(_ links: [(url: String, personalise: Bool)]) async throws
        -> [String: (id: Int, uuid: String)] {
        var out: [String: (id: Int, uuid: String)] = [:]
        for link in links {
            // A v4 uuid: lt.php forces the version nibble to 4 when it decodes a text-part tid.
            try await pool.execute(
                "INSERT IGNORE INTO \(tables.linkTrackForward) (url, urlhash, uuid, personalise) VALUES (?, MD5(?), ?, ?)",
                [link.url, link.url, UUID().uuidString.lowercased(), link.personalise ? 1 : 0])
            let rows = try await pool.query(
                "SELECT id, uuid FROM \(tables.linkTrackForward) WHERE urlhash = MD5(?)", [link.url])
            if let row = rows.first {
                out[link.url] = (try row.decode("id"), try row.decode("uuid", as: String?.self) ?? "")
            }
        }
        return out
    }

    /// Adds to `linktrack_ml.total` per forward id (rows created as needed), one statement.
    public func addLinkTrackTotals(campaign: Int, totals: [Int: Int]) async throws {
        let entries = totals.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        guard !entries.isEmpty else { return }
        let rows = Array(repeating: "(?, ?, ?)", count: entries.count).joined(separator: ", ")
        var params: [any MariaDBEncodable] = []
        for (forward, n) in entries { params += [campaign, forward, n] }
        try await pool.execute(
            "INSERT INTO \(tables.linkTrackML) (messageid, forwardid, total) VALUES \(rows) ON DUPLICATE KEY UPDATE total = total + VALUES(total)",
            params)
    }
}
