import Foundation

/// A DATE/DATETIME/TIMESTAMP exactly as stored, without a time zone. PHPList writes `now()` in the
/// server's zone, so Facteur keeps the wall-clock fields and converts to `Date` as if they were UTC.
public struct MariaDBDateTime: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var microsecond: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
    }

    /// The UTC wall-clock fields of `date` (sub-microsecond precision is dropped).
    public init(date: Date) {
        let total = date.timeIntervalSince1970
        var seconds = Int64(total.rounded(.down))
        var micros = Int(((total - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 { seconds += 1; micros -= 1_000_000 }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (y, m, d) = Self.civil(fromDays: days)
        self.init(year: y, month: m, day: d, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60,
                  second: secondOfDay % 60, microsecond: micros)
    }

    /// MariaDB's zero date (`0000-00-00 00:00:00`), which has no `Date`.
    public var isZero: Bool { year == 0 && month == 0 && day == 0 }

    /// The instant these wall-clock fields denote in UTC.
    public var date: Date {
        let days = Self.days(year: year, month: max(month, 1), day: max(day, 1))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Date(timeIntervalSince1970: Double(seconds) + Double(microsecond) / 1_000_000)
    }

    /// `YYYY-MM-DD HH:MM:SS` (with `.ffffff` when there are microseconds), as SQL literals want it.
    public var sql: String {
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + " "
            + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if microsecond != 0 { text += "." + pad(microsecond, 6) }
        return text
    }

    public var description: String { sql }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` and `YYYY-MM-DD HH:MM:SS.ffffff`.
    public init?(sql text: some StringProtocol) {
        self.init(sqlBytes: Array(text.utf8))
    }

    init?<Bytes: RandomAccessCollection>(sqlBytes bytes: Bytes) where Bytes.Element == UInt8, Bytes.Index == Int {
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for offset in start..<start + count {
                let byte = bytes[bytes.startIndex + offset]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        func at(_ offset: Int) -> UInt8 { bytes[bytes.startIndex + offset] }
        guard bytes.count >= 10, at(4) == 45, at(7) == 45,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2) else { return nil }
        self.init(year: year, month: month, day: day)
        guard bytes.count > 10 else { return }
        guard bytes.count >= 19, at(10) == 32 || at(10) == 84, at(13) == 58, at(16) == 58,
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) else { return nil }
        self.hour = hour
        self.minute = minute
        self.second = second
        if bytes.count > 19 {
            guard at(19) == 46, bytes.count > 20, bytes.count <= 26, let fraction = number(20, bytes.count - 20) else {
                return nil
            }
            var micros = fraction
            for _ in 0..<(6 - (bytes.count - 20)) { micros *= 10 }
            self.microsecond = micros
        }
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    // Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's civil algorithms).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
