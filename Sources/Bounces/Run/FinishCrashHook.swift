import Foundation

/// Test-only: `FACTEUR_TEST_CRASH_AT=mailbox-before-finish[:N]` ends the process with status 86 once N
/// (default 1) messages of a mailbox are committed and before any of them is deleted, moved or
/// flagged, so a test can show a committed message is still in its mailbox and not counted again.
struct FinishCrashHook: Sendable {
    let at: Int

    init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.first == "mailbox-before-finish" else { return nil }
        at = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
    }

    func reached(committed: Int) {
        guard committed >= at else { return }
        FileHandle.standardError.write(Data("facteur: FACTEUR_TEST_CRASH_AT reached after \(committed) committed bounces, exiting before the mailbox is updated\n".utf8))
        _exit(86)
    }
}
