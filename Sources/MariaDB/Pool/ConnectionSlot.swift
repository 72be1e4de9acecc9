import Logging

/// One of the pool's connection places; the connection is opened lazily and reopened when dead.
///
/// `@unchecked Sendable`: a slot is used by exactly one holder at a time. It moves between holders only
/// through `PoolState` (an actor: check-in happens-before the next check-out) and, while held, only the
/// thread-pool thread running the holder's closure touches `connection`.
final class ConnectionSlot: @unchecked Sendable {
    let number: Int
    var connection: MariaDBConnection?

    init(number: Int) {
        self.number = number
    }

    /// A connection ready for use: opened on first use, revived (at most one reconnect) when the
    /// server dropped it since last use. Blocking: runs on a pool thread.
    func ready(_ configuration: MariaDBConfiguration, logger: Logger) throws(MariaDBError) -> MariaDBConnection {
        if let connection {
            let wasAbandoned = connection.isAbandoned
            if try connection.revive(), !wasAbandoned {
                logger.notice("MariaDB connection was dropped by the server; reconnected",
                              metadata: ["target": "\(configuration.redacted)", "slot": "\(number)"])
            }
            return connection
        }
        let connection = try MariaDBConnection(configuration: configuration)
        self.connection = connection
        return connection
    }
}
