import Foundation
import Relaying

/// A deterministic run of the production pool (`RelayPoolState`, `PendingQueues`) against simulated
/// relays, on a simulated clock in 1 ms steps, with an endless backlog of messages to 40 domains.
/// Relay-level failures (421, refused) put the message back in the queue, as the worker does, so it
/// goes to whichever relay has room.
struct RelaySimulation {
    struct Second {
        let time: Int
        let rates: [Double]
        let delivered: [Int]
        let attempts: [Int]
        let circuits: [CircuitBreaker.State]
    }

    struct Report {
        let relays: [String]
        let capacities: [Double]
        let seconds: [Second]
        /// Message ids delivered more than once (must be empty).
        let duplicates: [Int]
        /// Messages handed out and neither delivered, queued nor in flight at the end (must be 0).
        let lost: Int
        let deliveredTotal: Int

        /// The first second from which relay `index`'s allowed rate stays within `tolerance` of its
        /// capacity up to `end` (exclusive), searching from `start`.
        func convergence(relay index: Int, from start: Int, until end: Int, tolerance: Double = 0.2) -> Int? {
            let capacity = capacities[index]
            let window = seconds.filter { $0.time >= start && $0.time < end }
            var candidate: Int?
            for second in window {
                let ok = abs(second.rates[index] - capacity) <= tolerance * capacity
                if ok { if candidate == nil { candidate = second.time } } else { candidate = nil }
            }
            return candidate
        }

        func delivered(relay index: Int, in range: Range<Int>) -> Int {
            seconds.filter { range.contains($0.time) }.reduce(0) { $0 + $1.delivered[index] }
        }

        func attempts(relay index: Int, in range: Range<Int>) -> Int {
            seconds.filter { range.contains($0.time) }.reduce(0) { $0 + $1.attempts[index] }
        }

        var timeline: String {
            var lines = ["t(s) " + relays.map { "\($0): rate delivered/s circuit" }.joined(separator: " | ")]
            for second in seconds {
                let cells = relays.indices.map {
                    String(format: "%7.1f %5d %@", second.rates[$0], second.delivered[$0], second.circuits[$0].rawValue)
                }
                lines.append(String(format: "%4d ", second.time) + cells.joined(separator: " | "))
            }
            return lines.joined(separator: "\n")
        }
    }

    var relays: [SimulatedRelay]
    var duration: Double
    var step = 0.001
    var settings = RelayPoolState.Settings()

    func run() -> Report {
        var simulated = relays
        var pool = RelayPoolState(
            relays: simulated.map { RelayDescriptor(name: $0.name, maxConnections: $0.connections) }, settings: settings)
        var queues = PendingQueues<Int>()
        let table = ProviderTable.shipped
        let domains = ["gmail.com", "googlemail.com", "hotmail.com", "outlook.com", "orange.fr", "wanadoo.fr",
                       "free.fr", "laposte.net"] + (0..<32).map { "example\($0).org" }
        var nextID = 0
        func refill() {
            while queues.count < 5_000 {
                let domain = domains[nextID % domains.count]
                queues.enqueue(nextID, domain: domain, provider: table.provider(forDomain: domain))
                nextID += 1
            }
        }
        // In flight per relay, in completion order (replies and refusals each in their own FIFO).
        var answers = Array(repeating: [(at: Double, id: Int, lease: RelayLease, signal: RelaySignal)](), count: relays.count)
        var heads = Array(repeating: 0, count: relays.count)
        var deliveredIDs = Set<Int>()
        var duplicates: [Int] = []
        var seconds: [Second] = []
        var delivered = Array(repeating: 0, count: relays.count)
        var attempts = Array(repeating: 0, count: relays.count)
        var inFlight = 0

        let steps = Int((duration / step).rounded())
        for tick in 0...steps {
            let now = Double(tick) * step
            // Replies due now, in arrival order per relay.
            for index in answers.indices {
                var pending: [(at: Double, id: Int, lease: RelayLease, signal: RelaySignal)] = []
                while heads[index] < answers[index].count, answers[index][heads[index]].at <= now + 1e-9 {
                    pending.append(answers[index][heads[index]])
                    heads[index] += 1
                }
                if heads[index] > 4_096 {
                    answers[index].removeFirst(heads[index])
                    heads[index] = 0
                }
                for answer in pending {
                    inFlight -= 1
                    pool.complete(answer.lease, answer.signal, at: now)
                    if case .delivered = answer.signal {
                        delivered[index] += 1
                        if !deliveredIDs.insert(answer.id).inserted { duplicates.append(answer.id) }
                    } else {
                        queues.enqueue(answer.id, domain: answer.lease.domain, provider: answer.lease.provider)
                    }
                }
            }
            refill()
            while let (id, lease) = queues.next(from: &pool, at: now) {
                attempts[lease.relay] += 1
                inFlight += 1
                let reply = simulated[lease.relay].answer(at: now)
                let entry = (at: reply.at, id: id, lease: lease, signal: reply.signal)
                // Refusals come back sooner than replies: keep each FIFO ordered.
                var position = answers[lease.relay].count
                while position > heads[lease.relay], answers[lease.relay][position - 1].at > entry.at { position -= 1 }
                answers[lease.relay].insert(entry, at: position)
                refill()
            }
            if tick > 0, tick % Int((1 / step).rounded()) == 0 {
                let status = pool.relayStatus(at: now)
                seconds.append(Second(time: Int(now.rounded()) - 1, rates: status.map(\.allowedRate),
                                      delivered: delivered, attempts: attempts, circuits: status.map(\.circuit)))
                delivered = Array(repeating: 0, count: relays.count)
                attempts = Array(repeating: 0, count: relays.count)
            }
        }
        let queued = queues.count
        let lost = nextID - deliveredIDs.count - queued - inFlight
        return Report(relays: relays.map(\.name), capacities: relays.map(\.capacity), seconds: seconds,
                      duplicates: duplicates, lost: lost, deliveredTotal: deliveredIDs.count)
    }
}
