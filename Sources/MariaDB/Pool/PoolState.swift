/// Which connection slots are free, who waits for one, and whether the pool is closed.
actor PoolState {
    private let capacity: Int
    private var idle: [ConnectionSlot] = []
    private var created = 0
    private var inUse = 0
    private var waiters: [(id: Int, continuation: CheckedContinuation<ConnectionSlot, Error>)] = []
    private var nextWaiterID = 0
    private var closed = false
    private var drained: [CheckedContinuation<Void, Never>] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// A free slot; waits (cancellably, first come first served) when all are in use.
    func checkout() async throws -> ConnectionSlot {
        if closed { throw MariaDBError.poolClosed }
        if let slot = idle.popLast() {
            inUse += 1
            return slot
        }
        if created < capacity {
            created += 1
            inUse += 1
            return ConnectionSlot(number: created)
        }
        try Task.checkCancellation()
        let id = nextWaiterID
        nextWaiterID += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    /// Returns a slot; hands it straight to the longest waiter if there is one.
    /// After shutdown, returns the slot for closing instead.
    func checkin(_ slot: ConnectionSlot) -> ConnectionSlot? {
        if !waiters.isEmpty && !closed {
            waiters.removeFirst().continuation.resume(returning: slot)
            return nil
        }
        inUse -= 1
        if closed {
            if inUse == 0 { drained.forEach { $0.resume() }; drained = [] }
            return slot
        }
        idle.append(slot)
        return nil
    }

    /// Closes the pool: waiters fail, idle slots are returned for closing, and this waits until
    /// every slot in use has been checked in.
    func shutdown() async -> [ConnectionSlot] {
        closed = true
        for waiter in waiters { waiter.continuation.resume(throwing: MariaDBError.poolClosed) }
        waiters = []
        let slots = idle
        idle = []
        if inUse > 0 {
            await withCheckedContinuation { drained.append($0) }
        }
        return slots
    }

    var isClosed: Bool { closed }

    /// Slots currently lent out (for tests and metrics).
    var connectionsInUse: Int { inUse }
}
