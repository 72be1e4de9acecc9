import Logging
import NIOPosix

/// A bounded set of connections, each used by one closure at a time on a dedicated thread, so
/// blocking libmariadb calls never run on Swift's cooperative pool.
public final class MariaDBPool: Sendable {
    public let configuration: MariaDBConfiguration
    public let maxConnections: Int
    let logger: Logger
    let state: PoolState
    /// One thread per connection: a closure always has a thread as soon as it has a connection.
    let threads: NIOThreadPool

    public init(configuration: MariaDBConfiguration, maxConnections: Int = 4,
                logger: Logger = Logger(label: "facteur.mariadb")) {
        precondition(maxConnections > 0, "a MariaDB pool needs at least one connection")
        self.configuration = configuration
        self.maxConnections = maxConnections
        self.logger = logger
        self.state = PoolState(capacity: maxConnections)
        self.threads = NIOThreadPool(numberOfThreads: maxConnections)
        threads.start()
    }

    /// Runs `body` with a connection of its own, on a pool thread. Waits for a free connection.
    /// A connection the server dropped while idle (restart, KILL, timeout) is reopened once before
    /// `body` runs; a connection lost during `body` surfaces as an error whose `isConnectionLoss`
    /// is true, and is reopened on its next use.
    public func withConnection<T: Sendable>(_ body: @Sendable @escaping (MariaDBConnection) throws -> T) async throws -> T {
        let slot = try await state.checkout()
        let result: Result<T, Error>
        do {
            let configuration = self.configuration
            let logger = self.logger
            result = .success(try await threads.runIfActive {
                try body(slot.ready(configuration, logger: logger))
            })
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            result = .failure(MariaDBError.poolClosed)
        } catch {
            result = .failure(error)
        }
        if let closing = await state.checkin(slot) {
            closing.connection = nil
        }
        return try result.get()
    }

    public func query(_ sql: String, _ params: [any MariaDBEncodable] = []) async throws -> [MariaDBRow] {
        try await withConnection { try $0.query(sql, params) }
    }

    @discardableResult
    public func execute(_ sql: String, _ params: [any MariaDBEncodable] = []) async throws -> MariaDBExecResult {
        try await withConnection { try $0.execute(sql, params) }
    }

    @discardableResult
    public func executeBatch(_ sql: String, rows: [[any MariaDBEncodable]]) async throws -> UInt64 {
        try await withConnection { try $0.executeBatch(sql, rows: rows) }
    }

    public func executeScript(_ sql: String) async throws {
        try await withConnection { try $0.executeScript(sql) }
    }

    /// `body` inside BEGIN … COMMIT on one connection; ROLLBACK when it throws.
    public func transaction<T: Sendable>(_ body: @Sendable @escaping (MariaDBConnection) throws -> T) async throws -> T {
        try await withConnection { try $0.transaction(body) }
    }

    /// Connections lent out right now.
    public var connectionsInUse: Int {
        get async { await state.connectionsInUse }
    }

    /// Waits for connections in use to come back, closes them all and stops the threads.
    /// Later calls throw `MariaDBError.poolClosed`.
    public func shutdown() async {
        guard await !state.isClosed else { return }
        let slots = await state.shutdown()
        _ = try? await threads.runIfActive {
            for slot in slots { slot.connection = nil }
        }
        try? await threads.shutdownGracefully()
    }
}
