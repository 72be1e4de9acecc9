import Foundation

/// A bounded hand-off of rows from a producer thread (blocking) to an async consumer.
/// The producer blocks while `capacity` rows wait unread; the consumer suspends (never blocks) while
/// none are ready. Rows travel in chunks so the lock is taken once per chunk, not once per row.
///
/// `@unchecked Sendable`: every stored property is read and written only while holding `condition`.
@_spi(Testing) public final class RowChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var chunks: [[MariaDBRow]] = []
    private var firstChunk = 0
    private var buffered = 0
    private var finished = false
    private var failure: Error?
    private var cancelled = false
    private var waiting: CheckedContinuation<[MariaDBRow]?, Error>?
    /// Most rows buffered at once: shows the bound holds.
    private var peak = 0

    @_spi(Testing) public var peakBuffered: Int {
        condition.lock()
        defer { condition.unlock() }
        return peak
    }

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    @_spi(Testing) public var chunkSize: Int { max(1, min(256, capacity / 4)) }

    /// Producer: hands over a chunk, blocking while the buffer is full. Throws `CancellationError`
    /// when the consumer went away, so the producer stops reading from the server.
    func send(_ chunk: [MariaDBRow]) throws {
        condition.lock()
        while buffered >= capacity && !cancelled {
            condition.wait()
        }
        if cancelled {
            condition.unlock()
            throw CancellationError()
        }
        if let consumer = waiting {
            waiting = nil
            condition.unlock()
            consumer.resume(returning: chunk)
            return
        }
        chunks.append(chunk)
        buffered += chunk.count
        peak = max(peak, buffered)
        condition.unlock()
    }

    /// Producer: no more rows (with the error that stopped it, if any).
    func finish(_ error: Error?) {
        condition.lock()
        finished = true
        failure = error
        let consumer = waiting
        waiting = nil
        condition.unlock()
        if let error { consumer?.resume(throwing: error) } else { consumer?.resume(returning: nil) }
    }

    /// Consumer: the next chunk, or nil at the end.
    func receive() async throws -> [MariaDBRow]? {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[MariaDBRow]?, Error>) in
            condition.lock()
            if firstChunk < chunks.count {
                let chunk = chunks[firstChunk]
                firstChunk += 1
                if firstChunk > 64 && firstChunk * 2 > chunks.count {
                    chunks.removeFirst(firstChunk)
                    firstChunk = 0
                }
                buffered -= chunk.count
                condition.signal()
                condition.unlock()
                continuation.resume(returning: chunk)
            } else if finished || cancelled {
                let error = failure
                condition.unlock()
                if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: nil) }
            } else {
                waiting = continuation
                condition.unlock()
            }
        }
    }

    /// Consumer went away (cancelled or stopped iterating): release the producer and any waiter.
    func cancel() {
        condition.lock()
        cancelled = true
        chunks = []
        buffered = 0
        let consumer = waiting
        waiting = nil
        condition.broadcast()
        condition.unlock()
        consumer?.resume(throwing: CancellationError())
    }
}
