import Foundation
import NIOConcurrencyHelpers

/// Test-only hook: `FACTEUR_TEST_CRASH_AT=<point>` makes the process die (exit 86, no cleanup, as a
/// `kill -9` would) the N-th time it reaches that named step (`FACTEUR_TEST_CRASH_AFTER=N`, default 1).
/// Points: `after-claim` (subscribers claimed, nothing sent), `after-data` (a relay answered 250 to DATA,
/// the subscriber not yet marked sent), `mid-batch` (a batch's sends recorded, its failures and counters
/// not yet). Unset in production: the check is one comparison against a constant.
enum CrashPoint: String, Sendable {
    case afterClaim = "after-claim"
    case afterData = "after-data"
    case midBatch = "mid-batch"

    private static let armed: CrashPoint? = ProcessInfo.processInfo.environment["FACTEUR_TEST_CRASH_AT"]
        .flatMap(CrashPoint.init(rawValue:))
    private static let after = Int(ProcessInfo.processInfo.environment["FACTEUR_TEST_CRASH_AFTER"] ?? "") ?? 1
    private static let hits = NIOLockedValueBox(0)

    static func reached(_ point: CrashPoint) {
        guard let armed, armed == point else { return }
        let count = hits.withLockedValue { value -> Int in
            value += 1
            return value
        }
        if count >= after {
            FileHandle.standardError.write(Data("facteur: test crash at \(point.rawValue)\n".utf8))
            _exit(86)
        }
    }
}
