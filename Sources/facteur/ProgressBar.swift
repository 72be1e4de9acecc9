import Foundation
import Import

/// A one-line progress bar on standard error, drawn only when standard error is a terminal
/// (scripts and logs get the final report only): step, counts, rate and ETA.
/// `@unchecked Sendable`: `state` is only touched under `lock`.
final class ProgressBar: @unchecked Sendable {
    private struct State {
        var step = ""
        var stepStarted = Date()
        var lastDraw = Date.distantPast
    }

    private let lock = NSLock()
    private var state = State()

    static func onTerminal() -> ProgressBar? {
        isatty(STDERR_FILENO) == 1 ? ProgressBar() : nil
    }

    func update(_ progress: ImportProgress) {
        let line: String? = lock.withLock {
            let now = Date()
            if state.step != progress.step {
                state.step = progress.step
                state.stepStarted = now
            } else if now.timeIntervalSince(state.lastDraw) < 0.2 && progress.done != progress.total {
                return nil
            }
            state.lastDraw = now
            return Self.render(progress, elapsed: now.timeIntervalSince(state.stepStarted))
        }
        if let line { FileHandleWriter.writeToStandardError("\r\u{1B}[2K" + line) }
    }

    func finish() {
        FileHandleWriter.writeToStandardError("\r\u{1B}[2K")
    }

    static func render(_ progress: ImportProgress, elapsed: TimeInterval) -> String {
        let rate = elapsed > 0 ? Double(progress.done) / elapsed : 0
        guard let total = progress.total, total > 0 else {
            return "\(progress.step): \(progress.done) rows, \(Int(rate)) rows/s"
        }
        let fraction = min(1, Double(progress.done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let remaining = rate > 0 ? Double(total - progress.done) / rate : 0
        return "\(progress.step) [\(bar)] \(progress.done)/\(total) \(Int(fraction * 100))% \(Int(rate)) rows/s ETA \(formatted(remaining))"
    }

    static func formatted(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
