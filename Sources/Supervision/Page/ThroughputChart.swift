import Foundation

/// The last hour as an inline SVG bar chart: one bar per 5-minute window, sent stacked with deferred,
/// drawn on the server so the page needs no script or library to show it.
enum ThroughputChart {
    static let width = 720.0
    static let height = 200.0
    static let left = 56.0
    static let bottom = 24.0
    static let top = 12.0

    static func svg(_ windows: [StatusSnapshot.Throughput.Window], now: Date) -> String {
        let peak = windows.map { $0.sent + $0.deferred }.max() ?? 0
        // Four grid steps of a round size, so every axis label is a whole, round number.
        let scale = 4 * niceCeiling((max(1, peak) + 3) / 4)
        let plotWidth = width - left - 8
        let plotHeight = height - top - bottom
        let slot = windows.isEmpty ? plotWidth : plotWidth / Double(windows.count)
        var parts: [String] = []
        parts.append(#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="Messages sent per 5 minutes over the last hour">"#)
        for step in 0...4 {
            let value = scale / 4 * step
            let y = top + plotHeight - plotHeight * Double(step) / 4
            parts.append(#"<line x1="\#(f(left))" y1="\#(f(y))" x2="\#(f(width - 8))" y2="\#(f(y))" class="grid"/>"#)
            parts.append(#"<text x="\#(f(left - 6))" y="\#(f(y + 4))" class="axis" text-anchor="end">\#(StatusFormat.count(value))</text>"#)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "HH:mm"
        for (index, window) in windows.enumerated() {
            let x = left + Double(index) * slot + slot * 0.15
            let barWidth = slot * 0.7
            let sentHeight = plotHeight * Double(window.sent) / Double(scale)
            let deferredHeight = plotHeight * Double(window.deferred) / Double(scale)
            let base = top + plotHeight
            let title = "\(formatter.string(from: window.start)) UTC: \(StatusFormat.count(window.sent)) sent, \(StatusFormat.count(window.deferred)) deferred"
            parts.append(#"<g><title>\#(HTMLText.escape(title))</title>"#)
            parts.append(#"<rect class="sent" x="\#(f(x))" y="\#(f(base - sentHeight))" width="\#(f(barWidth))" height="\#(f(sentHeight))"/>"#)
            if window.deferred > 0 {
                parts.append(#"<rect class="deferred" x="\#(f(x))" y="\#(f(base - sentHeight - deferredHeight))" width="\#(f(barWidth))" height="\#(f(deferredHeight))"/>"#)
            }
            parts.append("</g>")
            if index % 3 == 0 || index == windows.count - 1 {
                parts.append(#"<text x="\#(f(x + barWidth / 2))" y="\#(f(height - 6))" class="axis" text-anchor="middle">\#(formatter.string(from: window.start))</text>"#)
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// 1, 2, 5 × 10ⁿ at or above `value`, so the axis reads in round numbers.
    static func niceCeiling(_ value: Int) -> Int {
        var magnitude = 1
        while true {
            for factor in [1, 2, 5] where factor * magnitude >= value { return factor * magnitude }
            magnitude *= 10
        }
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
