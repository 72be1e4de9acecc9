import Foundation

/// Runs blocking work (libmariadb calls, waiting for a child process) on a thread of its own, so
/// tests never block Swift's cooperative pool.
func runBlocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result(catching: work))
        }
        thread.start()
    }
}
