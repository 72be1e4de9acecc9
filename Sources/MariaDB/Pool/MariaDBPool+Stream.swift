extension MariaDBPool {
    /// Streams a query's rows with bounded memory: a pool thread reads the unbuffered result and
    /// blocks whenever `bufferRows` rows wait unread. The query starts on first iteration; stopping
    /// the iteration (break, error, task cancellation) stops it and cuts the connection, which the
    /// pool reopens on next use. The stream holds one connection until it ends.
    public func stream(_ sql: String, _ params: [any MariaDBEncodable] = [], bufferRows: Int = 1000)
        -> AsyncThrowingStream<MariaDBRow, Error>
    {
        makeStream(sql, params, bufferRows: bufferRows).stream
    }

    /// The stream and its channel (tests read `channel.peakBuffered` to check the bound).
    @_spi(Testing) public func makeStream(_ sql: String, _ params: [any MariaDBEncodable], bufferRows: Int)
        -> (stream: AsyncThrowingStream<MariaDBRow, Error>, channel: RowChannel)
    {
        let iteration = StreamIteration(pool: self, sql: sql, params: params, bufferRows: bufferRows)
        return (AsyncThrowingStream(unfolding: { try await iteration.next() }), iteration.channel)
    }
}

/// The consumer side of one `stream`. Released with the stream: `deinit` cancels the producer, so an
/// abandoned iteration frees its connection.
///
/// `@unchecked Sendable`: `AsyncThrowingStream(unfolding:)` calls `next()` serially (never two calls
/// at once), so `current`, `position` and `started` have a single user at any time.
final class StreamIteration: @unchecked Sendable {
    private let pool: MariaDBPool
    private let sql: String
    private let params: [any MariaDBEncodable]
    let channel: RowChannel
    private var started = false
    private var current: [MariaDBRow] = []
    private var position = 0

    init(pool: MariaDBPool, sql: String, params: [any MariaDBEncodable], bufferRows: Int) {
        self.pool = pool
        self.sql = sql
        self.params = params
        self.channel = RowChannel(capacity: bufferRows)
    }

    deinit {
        channel.cancel()
    }

    func next() async throws -> MariaDBRow? {
        if position < current.count {
            position += 1
            return current[position - 1]
        }
        if !started {
            started = true
            start()
        }
        let channel = self.channel
        let chunk = try await withTaskCancellationHandler {
            try await channel.receive()
        } onCancel: {
            channel.cancel()
        }
        guard let chunk, !chunk.isEmpty else {
            current = []
            return nil
        }
        current = chunk
        position = 1
        return chunk[0]
    }

    private func start() {
        let channel = self.channel
        let pool = self.pool
        let sql = self.sql
        let params = self.params
        // Unstructured on purpose: the producer outlives each `next()` call; it ends when the query
        // is read or the channel is cancelled.
        Task {
            do {
                try await pool.withConnection { connection in
                    let size = channel.chunkSize
                    var chunk: [MariaDBRow] = []
                    chunk.reserveCapacity(size)
                    try connection.forEachRow(sql, params) { row in
                        chunk.append(row)
                        if chunk.count == size {
                            try channel.send(chunk)
                            chunk.removeAll(keepingCapacity: true)
                        }
                    }
                    if !chunk.isEmpty { try channel.send(chunk) }
                }
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
    }
}
