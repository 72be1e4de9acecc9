import NIOConcurrencyHelpers

/// Set once when sending must stop (campaign suspended, shutdown requested); read before every message.
/// A flag built with `sources` also reads as stopped when any of them is.
final class StopFlag: Sendable {
    private let state = NIOLockedValueBox<String?>(nil)
    private let sources: [StopFlag]

    init(sources: [StopFlag] = []) {
        self.sources = sources
    }

    /// Why sending stops; nil while it may go on.
    var reason: String? {
        if let own = state.withLockedValue({ $0 }) { return own }
        for source in sources { if let reason = source.reason { return reason } }
        return nil
    }

    func stop(_ reason: String) {
        state.withLockedValue { if $0 == nil { $0 = reason } }
    }

    static func either(_ a: StopFlag, _ b: StopFlag) -> StopFlag { StopFlag(sources: [a, b]) }
}
