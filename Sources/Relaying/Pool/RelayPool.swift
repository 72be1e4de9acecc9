import NIOConcurrencyHelpers

/// The relay pool shared by a worker's sending tasks: `RelayPoolState` behind a lock, reading time
/// from an injected clock.
public final class RelayPool: Sendable {
    private let state: NIOLockedValueBox<RelayPoolState>
    public let clock: any RelayingClock

    public init(_ state: RelayPoolState, clock: any RelayingClock = SystemRelayingClock()) {
        self.state = NIOLockedValueBox(state)
        self.clock = clock
    }

    public func reserve(provider: String, domain: String) -> Reservation {
        let now = clock.now()
        return state.withLockedValue { $0.reserve(provider: provider, domain: domain, at: now) }
    }

    public func complete(_ lease: RelayLease, _ signal: RelaySignal) {
        let now = clock.now()
        state.withLockedValue { $0.complete(lease, signal, at: now) }
    }

    public func abandon(_ lease: RelayLease) {
        state.withLockedValue { $0.abandon(lease) }
    }

    /// Runs `body` on the state under the lock (queues that reserve several messages at once).
    public func withState<T>(_ body: (inout RelayPoolState, Double) -> T) -> T {
        let now = clock.now()
        return state.withLockedValue { body(&$0, now) }
    }

    public func relayStatus() -> [RelayStatus] {
        let now = clock.now()
        return state.withLockedValue { $0.relayStatus(at: now) }
    }

    public func providerStatus() -> [ProviderStatus] {
        state.withLockedValue { $0.providerStatus() }
    }
}
