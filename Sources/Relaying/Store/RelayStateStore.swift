import Foundation
import MariaDB

/// One row of `facteur_relay_state`: a relay as one worker saw it at `updated`.
public struct RelayStateRow: Sendable, Equatable {
    public var relay: String
    public var workerID: String
    public var circuit: String
    /// Messages per second allowed; nil = no limit.
    public var allowedRate: Double?
    public var inFlight: Int
    public var sentToday: Int
    public var updated: Date
}

/// Publishes each worker's view of its relays for `facteur status` and other hosts.
public struct RelayStateStore: Sendable {
    public let pool: MariaDBPool

    public init(pool: MariaDBPool) { self.pool = pool }

    public func publish(_ statuses: [RelayStatus], worker: String, at date: Date) async throws {
        guard !statuses.isEmpty else { return }
        let rows: [[any MariaDBEncodable]] = statuses.map {
            [String($0.name.prefix(255)), String(worker.prefix(64)), $0.circuit.rawValue,
             $0.allowedRate.isFinite ? $0.allowedRate : nil as Double?, $0.inFlight, $0.sentToday,
             Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)),
             $0.health.isFinite ? $0.health : 0, $0.delivered, $0.attempts]
        }
        // health, delivered and attempts (migrations/0007) give `facteur status` each relay's error share.
        _ = try await pool.executeBatch(
            """
            INSERT INTO facteur_relay_state (relay, worker_id, circuit, allowed_rate, in_flight, sent_today, updated,
              health, delivered, attempts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE circuit = VALUES(circuit), allowed_rate = VALUES(allowed_rate),
              in_flight = VALUES(in_flight), sent_today = VALUES(sent_today), updated = VALUES(updated),
              health = VALUES(health), delivered = VALUES(delivered), attempts = VALUES(attempts)
            """, rows: rows)
    }

    public func all() async throws -> [RelayStateRow] {
        try await pool.query(
            "SELECT relay, worker_id, circuit, allowed_rate, in_flight, sent_today, updated FROM facteur_relay_state ORDER BY relay, worker_id"
        ).map { row in
            RelayStateRow(relay: try row.decode("relay", as: String.self), workerID: try row.decode("worker_id", as: String.self),
                          circuit: try row.decode("circuit", as: String.self),
                          allowedRate: row["allowed_rate"] == .null ? nil : try row.decode("allowed_rate", as: Double.self),
                          inFlight: try row.decode("in_flight", as: Int.self), sentToday: try row.decode("sent_today", as: Int.self),
                          updated: try row.decode("updated", as: Date.self))
        }
    }

    /// Publishes the providers that have a rate of their own (the others are unlimited).
    public func publish(providers: [ProviderStatus], worker: String, at date: Date) async throws {
        let limited = providers.filter { $0.allowedRate.isFinite }
        guard !limited.isEmpty else { return }
        let rows: [[any MariaDBEncodable]] = limited.map {
            [String($0.name.prefix(255)), String(worker.prefix(64)), $0.allowedRate, $0.inFlight,
             Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))]
        }
        _ = try await pool.executeBatch(
            """
            INSERT INTO facteur_provider_state (provider, worker_id, allowed_rate, in_flight, updated) VALUES (?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE allowed_rate = VALUES(allowed_rate), in_flight = VALUES(in_flight), updated = VALUES(updated)
            """, rows: rows)
    }

    /// (provider, worker, allowed rate) rows, for `facteur status`.
    public func providers() async throws -> [(provider: String, workerID: String, allowedRate: Double)] {
        try await pool.query("SELECT provider, worker_id, allowed_rate FROM facteur_provider_state ORDER BY provider, worker_id").map {
            (try $0.decode("provider", as: String.self), try $0.decode("worker_id", as: String.self),
             try $0.decode("allowed_rate", as: Double.self))
        }
    }

    /// Removes a worker's rows when it stops.
    public func remove(worker: String) async throws {
        try await pool.execute("DELETE FROM facteur_relay_state WHERE worker_id = ?", [worker])
        try await pool.execute("DELETE FROM facteur_provider_state WHERE worker_id = ?", [worker])
    }
}
