import Foundation

/// The counts of one campaign's run and the values PHPList's UI shows from them.
struct CampaignProgress: Sendable {
    let started: Date
    /// "Found them: N to process".
    let total: Int
    var processed = 0
    var sent = 0
    var invalid = 0
    var bounced = 0
    var lastFailure: String?

    init(total: Int, started: Date = Date()) {
        self.total = total
        self.started = started
    }

    var remaining: Int { max(0, total - processed) }

    func messagesPerHour(now: Date = Date()) -> Double {
        let elapsed = now.timeIntervalSince(started)
        return elapsed > 0 ? Double(sent) / elapsed * 3600 : 0
    }

    /// The messagedata keys msgstatus shows while the campaign is in process.
    func messageData(now: Date = Date()) -> [(String, String)] {
        let rate = messagesPerHour(now: now)
        let eta = rate > 0 ? now.addingTimeInterval(Double(remaining) / rate * 3600) : now
        return [("to process", String(remaining)),
                ("ETA", Self.etaFormatter.string(from: eta)),
                ("msg/hr", String(format: "%.8f", rate)),
                ("last msg sent", String(Int(now.timeIntervalSince1970)))]
    }

    /// PHP's date('D j M H:i'), as processqueue writes `ETA`.
    static var etaFormatter: DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "EEE d MMM HH:mm"
        return f
    }

    /// processqueue's closing event-log lines for a finished campaign.
    func summaryLines(now: Date = Date()) -> [String] {
        let seconds = now.timeIntervalSince(started)
        var lines = ["Processed \(processed) out of \(total) subscribers",
                     "It took \(Self.secs2time(Int(seconds))) to send this message",
                     "\(sent) messages sent in \(String(format: "%.2f", seconds)) seconds (\(Int(messagesPerHour(now: now))) msgs/hr)"]
        if invalid > 0 { lines.append("\(invalid) invalid email addresses") }
        return lines
    }

    /// PHPList's secs2time: " 1 mins 46 seconds" (each part with a leading space).
    static func secs2time(_ total: Int) -> String {
        var secs = total
        var hours = secs / 3600
        secs -= hours * 3600
        var days = 0
        if hours > 24 { days = hours / 24; hours -= 24 * days }
        let mins = secs / 60
        secs %= 60
        var out = ""
        if days > 0 { out += " \(days) days" }
        if hours > 0 { out += " \(hours) hours" }
        if mins > 0 { out += " \(mins) mins" }
        if secs > 0 { out += " \(secs) seconds" }
        return out
    }
}
