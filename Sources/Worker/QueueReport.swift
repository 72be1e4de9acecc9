import Foundation
import PHPList

/// processqueue's "Message queue processing report": the run's event-log lines, each stamped
/// `[D j M Y H:i] [CL]`, with the two lines PHPList prints without logging them ("Started" first, and
/// "Script stage: 5" before the closing send statistics), between PHPList's intro and footer.
struct QueueReport: Sendable {
    static let subject = "phpList Message queue processing report"

    let started: Date
    let lines: [EventLogLine]

    var body: String {
        var entries = ["[\(Self.stamp(started))] [CL] Started"]
        let statistics = lines.lastIndex { $0.entry.contains(" messages sent in ") }
        for (index, line) in lines.enumerated() {
            if index == statistics { entries.append("[\(line.time)] [CL] Script stage: 5") }
            entries.append("[\(line.time)] [CL] \(line.entry)")
        }
        if statistics == nil, let last = lines.last { entries.append("[\(last.time)] [CL] Script stage: 5") }
        return "The following events occured while processing the message queue:\n"
            + entries.map { "\n" + $0 }.joined()
            + "\n\nTo stop receiving these reports read: https://resources.phplist.com/system/config/send_queue_processing_report\n\n"
    }

    /// PHP's date('D j M Y H:i').
    static func stamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "EEE d MMM yyyy HH:mm"
        return f.string(from: date)
    }
}
