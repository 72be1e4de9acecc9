import Foundation
import NIOConcurrencyHelpers

/// Where every relaying decision reads the time: seconds, as a `Double`. The pool reads its clock;
/// the state machines it drives take `now` as an argument, so a simulation replays exactly.
public protocol RelayingClock: Sendable {
    /// Seconds since the Unix epoch (production) or since the start of a simulation.
    func now() -> Double
}

/// Wall-clock time: daily caps follow UTC days.
public struct SystemRelayingClock: RelayingClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

/// A clock that moves only when told: for tests and simulations.
public final class ManualRelayingClock: RelayingClock {
    private let current: NIOLockedValueBox<Double>

    public init(start: Double = 0) { current = NIOLockedValueBox(start) }

    public func now() -> Double { current.withLockedValue { $0 } }

    public func advance(by seconds: Double) { current.withLockedValue { $0 += seconds } }

    public func set(_ seconds: Double) { current.withLockedValue { $0 = seconds } }
}
