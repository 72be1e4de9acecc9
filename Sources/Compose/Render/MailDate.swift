import Foundation

/// PHPMailer's rfcDate(): PHP `date('D, j M Y H:i:s O')` in the process's time zone (day without a leading
/// zero, numeric offset).
enum MailDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ date: Date, timeZone: TimeZone = .current) -> String {
        let offset = timeZone.secondsFromGMT(for: date)
        var t = time_t(date.timeIntervalSince1970.rounded(.down)) + time_t(offset)
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        let hh = a / 3600
        let mm = (a % 3600) / 60
        return "\(days[Int(tm.tm_wday)]), \(tm.tm_mday) \(months[Int(tm.tm_mon)]) \(tm.tm_year + 1900) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) \(sign)\(two(Int32(hh)))\(two(Int32(mm)))"
    }
}
