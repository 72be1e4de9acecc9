import Foundation
import Hummingbird
import NIOCore
import Supervision

/// The status routes on a Hummingbird application of the test's own, on a free loopback port.
enum StatusServer {
    /// Runs `body` with the server's base URL (`http://127.0.0.1:PORT`), then stops the server.
    static func withServer<T: Sendable>(source: some StatusSource, _ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        StatusRoutes.register(on: router, source: source)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  continuation.yield(channel.localAddress?.port ?? 0)
                                  continuation.finish()
                              })
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw Browser.Failure(description: "the status server did not start")
            }
            let result: T
            do {
                result = try await body("http://127.0.0.1:\(port)")
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
            return result
        }
    }
}
