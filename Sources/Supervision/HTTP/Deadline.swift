import Synchronization

/// Runs `body` but stops waiting after `timeout`, returning nil. The work is not awaited past the
/// deadline (a blocked database connect may not honour cancellation): it is cancelled and left to end.
func withDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async -> Result<T, any Error>? {
    let gate = ResumeOnce<Result<T, any Error>?>()
    return await withCheckedContinuation { continuation in
        gate.set(continuation)
        let work = Task {
            do { gate.resume(.success(try await body())) } catch { gate.resume(.failure(error)) }
        }
        Task {
            try? await Task.sleep(for: timeout)
            work.cancel()
            gate.resume(nil)
        }
    }
}

/// Resumes a continuation with the first value given; later ones are dropped.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<T, Never>?, done: Bool)>((nil, false))

    func set(_ continuation: CheckedContinuation<T, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func resume(_ value: T) {
        let continuation: CheckedContinuation<T, Never>? = state.withLock { state in
            guard !state.done else { return nil }
            state.done = true
            return state.continuation
        }
        continuation?.resume(returning: value)
    }
}
