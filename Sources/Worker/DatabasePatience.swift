import Logging
import MariaDB

/// Sending outlives a database restart: a step that fails because the database is unreachable is tried
/// again (1, 2, 4… up to 10 s apart) until it succeeds or `limit` has passed. Outcomes the relays already
/// gave are kept in memory meanwhile, so a message that got its 250 is still marked sent, not resent.
/// Other errors are thrown at once.
struct DatabasePatience: Sendable {
    let logger: Logger
    var limit: Duration = .seconds(600)

    func run<T: Sendable>(_ step: String, _ body: () async throws -> T) async throws -> T {
        var delay = Duration.seconds(1)
        let start = ContinuousClock.now
        while true {
            do {
                return try await body()
            } catch let error as MariaDBError where error.isConnectionLoss && ContinuousClock.now - start < limit {
                logger.warning("database unreachable; sending paused", metadata: [
                    "step": "\(step)", "retryIn": "\(delay)", "error": "\(error)",
                ])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(10))
            }
        }
    }
}
