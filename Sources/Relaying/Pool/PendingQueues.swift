/// Messages waiting for a relay, one FIFO per destination domain, served round robin: a domain (or a
/// provider) that must wait is parked and the next domain is tried, so a throttled or slow destination
/// never holds back the others. Only relay-wide waits (every relay busy or down, PHPList's global
/// limits) stop the search, since no other message could go either.
public struct PendingQueues<Item: Sendable>: Sendable {
    struct Queue: Sendable {
        let provider: String
        var items = Ring<Item>()
        var parked = false
    }

    private var queues: [String: Queue] = [:]
    private var ready = Ring<String>()
    private var sleeping = MinHeap()
    /// Earliest time a relay-wide wait ends, from the last `next` that found nothing.
    public private(set) var relayWakeAt: Double?
    public private(set) var count = 0
    /// Seconds a domain parked "until a message in flight finishes" waits before it is tried again, when
    /// no completion wakes it first (see `leaseCompleted`).
    public var completionPoll = 0.05
    /// Domains parked until a message in flight finishes (a concurrency limit, not a rate): a completion
    /// makes them ready at once instead of after `completionPoll`, which otherwise caps such a provider
    /// at its share of connections per poll.
    private var awaitingCompletion: [String] = []

    public init() {}

    public var isEmpty: Bool { count == 0 }

    public mutating func enqueue(_ item: Item, domain: String, provider: String) {
        count += 1
        if queues[domain] == nil {
            queues[domain] = Queue(provider: provider)
            ready.append(domain)
        }
        queues[domain]!.items.append(item)
    }

    /// The next message that may go now, with its lease, or nil (see `nextWake`). `expectingMore`: the
    /// caller will queue more messages (more pages to read), so no destination may take every connection
    /// even when it is the only one queued right now.
    public mutating func next(from pool: inout RelayPoolState, at now: Double,
                              expectingMore: Bool = false) -> (item: Item, lease: RelayLease)? {
        relayWakeAt = nil
        while let top = sleeping.peek, top.time <= now {
            sleeping.pop()
            // A domain woken early by a completion (or emptied and queued again) is already ready.
            if queues[top.key]?.parked == true {
                queues[top.key]!.parked = false
                ready.append(top.key)
            }
        }
        var attempts = ready.count
        while attempts > 0, let domain = ready.popFirst() {
            attempts -= 1
            guard var queue = queues[domain] else { continue }
            switch pool.reserve(provider: queue.provider, domain: domain, at: now, othersWaiting: expectingMore || !ready.isEmpty) {
            case .granted(let lease):
                let item = queue.items.popFirst()!
                count -= 1
                if queue.items.isEmpty {
                    queues[domain] = nil
                } else {
                    queues[domain] = queue
                    ready.append(domain)
                }
                return (item, lease)
            case .wait(let until, let reason):
                if reason.blocksEveryone {
                    ready.prepend(domain)
                    relayWakeAt = until
                    return nil
                }
                queue.parked = true
                queues[domain] = queue
                sleeping.push(until.isFinite ? until : now + completionPoll, domain)
                if !until.isFinite { awaitingCompletion.append(domain) }
            }
        }
        return nil
    }

    /// When `next` may find something again: the relay-wide wait, or the first parked domain's time.
    public var nextWake: Double? {
        let parked = ready.isEmpty ? sleeping.peek?.time : nil
        switch (relayWakeAt, parked) {
        case let (relay?, parked?): return min(relay, parked)
        case let (relay?, nil): return relay
        case let (nil, parked?): return parked
        case (nil, nil): return ready.isEmpty ? nil : -Double.infinity
        }
    }

    /// A leased message finished: domains waiting for a free slot may try again now.
    public mutating func leaseCompleted() {
        for domain in awaitingCompletion where queues[domain]?.parked == true {
            queues[domain]!.parked = false
            ready.append(domain)
        }
        awaitingCompletion.removeAll(keepingCapacity: true)
    }

    /// Removes and returns everything still queued (shutting down).
    public mutating func drain() -> [Item] {
        awaitingCompletion = []
        let items = queues.values.flatMap { $0.items.elements }
        queues = [:]
        ready = Ring()
        sleeping = MinHeap()
        count = 0
        return items
    }
}

/// A FIFO with amortised O(1) push and pop at both ends' needs.
struct Ring<Element: Sendable>: Sendable {
    private var storage: [Element] = []
    private var head = 0

    var count: Int { storage.count - head }
    var isEmpty: Bool { count == 0 }
    var elements: ArraySlice<Element> { storage[head...] }

    mutating func append(_ element: Element) { storage.append(element) }

    mutating func prepend(_ element: Element) {
        if head > 0 {
            head -= 1
            storage[head] = element
        } else {
            storage.insert(element, at: 0)
        }
    }

    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        if head > 64, head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }
}

/// Parked domains by wake-up time.
struct MinHeap: Sendable {
    private var nodes: [(time: Double, key: String)] = []

    var peek: (time: Double, key: String)? { nodes.first }

    mutating func push(_ time: Double, _ key: String) {
        nodes.append((time, key))
        var child = nodes.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard nodes[child].time < nodes[parent].time else { break }
            nodes.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() {
        guard !nodes.isEmpty else { return }
        nodes.swapAt(0, nodes.count - 1)
        nodes.removeLast()
        var parent = 0
        while true {
            let left = parent * 2 + 1, right = left + 1
            var smallest = parent
            if left < nodes.count, nodes[left].time < nodes[smallest].time { smallest = left }
            if right < nodes.count, nodes[right].time < nodes[smallest].time { smallest = right }
            if smallest == parent { break }
            nodes.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
