import Foundation

/// How figures read, the same in the terminal and on the page.
public enum StatusFormat {
    /// 1234567 → "1,234,567".
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// Messages per second: "0.4/s", "12.3/s", "1,980/s".
    public static func rate(_ perSecond: Double?) -> String {
        guard let perSecond, perSecond.isFinite else { return "no limit" }
        if perSecond >= 100 { return count(Int(perSecond.rounded())) + "/s" }
        return String(format: "%.1f/s", perSecond)
    }

    /// A large per-hour or per-day figure, rounded: "162,000".
    public static func amount(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return count(Int(value.rounded()))
    }

    /// 0.0123 → "1.2 %"; nil → "–".
    public static func percent(_ share: Double?) -> String {
        guard let share, share.isFinite else { return "–" }
        return String(format: "%.1f %%", share * 100)
    }

    /// A moment in UTC: "15:42:07" when on `now`'s day, else "2026-11-30 15:42".
    public static func time(_ date: Date?, now: Date) -> String {
        guard let date else { return "–" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = calendar.isDate(date, inSameDayAs: now) ? "HH:mm:ss" : "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// The full UTC timestamp of a snapshot.
    public static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }

    /// Seconds from `now` to `date` as "in 4 min", "in 2 h 10 min", "now".
    public static func remaining(until date: Date?, now: Date) -> String {
        guard let date else { return "unknown" }
        let seconds = Int(date.timeIntervalSince(now).rounded(.up))
        if seconds <= 0 { return "now" }
        if seconds < 60 { return "in \(seconds) s" }
        let minutes = (seconds + 59) / 60
        if minutes < 60 { return "in \(minutes) min" }
        if minutes < 48 * 60 { return "in \(minutes / 60) h \(minutes % 60) min" }
        return "in \(minutes / 1440) days"
    }
}
