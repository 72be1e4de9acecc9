import Foundation

/// Per-client limits of the bounce listener: how many connections one IP address may hold at
/// once, and how many it may open per minute. Shared by every connection of one listener.
final class ClientLimiter: @unchecked Sendable {
    // @unchecked: `clients` is only read and written while `lock` is held.
    private struct Client {
        var open = 0
        var recent: [ContinuousClock.Instant] = []
    }

    let maxConcurrent: Int
    let maxPerMinute: Int
    private let lock = NSLock()
    private var clients: [String: Client] = [:]

    init(maxConcurrent: Int, maxPerMinute: Int) {
        self.maxConcurrent = maxConcurrent
        self.maxPerMinute = maxPerMinute
    }

    /// Counts a new connection from `address`; nil when admitted, else why not.
    func admit(_ address: String, now: ContinuousClock.Instant = .now) -> String? {
        lock.withLock {
            var client = clients[address, default: Client()]
            client.recent.removeAll { now - $0 > .seconds(60) }
            if client.open >= maxConcurrent { return "more than \(maxConcurrent) connections at once" }
            if client.recent.count >= maxPerMinute { return "more than \(maxPerMinute) connections per minute" }
            client.open += 1
            client.recent.append(now)
            clients[address] = client
            return nil
        }
    }

    /// An admitted connection from `address` ended.
    func release(_ address: String) {
        lock.withLock {
            guard var client = clients[address] else { return }
            client.open = max(0, client.open - 1)
            if client.open == 0, client.recent.isEmpty {
                clients[address] = nil
            } else {
                clients[address] = client
            }
        }
    }
}
