/// Reads a Date header (RFC 5322 and its obsolete forms: optional weekday, two-digit years, named zones,
/// missing seconds, trailing comments) into a unix time, as PHP's strtotime does for such values.
/// nil when the text is no date.
public enum MailDateParser {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
        "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "cet": 60, "cest": 120, "bst": 60,
    ]

    public static func unixTime(_ text: String) -> Int? {
        // Drop comments such as "(UTC)" and split on blanks and commas.
        var cleaned = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1; continue }
            if character == ")" { depth = max(0, depth - 1); continue }
            if depth == 0 { cleaned.append(character == "," ? " " : character) }
        }
        var tokens = cleaned.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
            .map(String.init)
        if let first = tokens.first, first.count >= 3, first.allSatisfy(\.isLetter), !months.contains(String(first.prefix(3))) {
            tokens.removeFirst() // weekday
        }
        guard tokens.count >= 4 else { return nil }
        var day: Int?
        var month: Int?
        // "29 Nov 2026" or "Nov 29 2026".
        if let d = Int(tokens[0]), let m = monthIndex(tokens[1]) {
            day = d; month = m
        } else if let m = monthIndex(tokens[0]), let d = Int(tokens[1]) {
            day = d; month = m
        }
        guard let day, let month, var year = Int(tokens[2]), (1...31).contains(day) else { return nil }
        if tokens[2].count <= 2 { year += year < 50 ? 2000 : 1900 } else if tokens[2].count == 3 { year += 1900 }
        let clock = tokens[3].split(separator: ":").map { Int($0) }
        guard clock.count >= 2, clock.allSatisfy({ $0 != nil }) else { return nil }
        let hour = clock[0]!, minute = clock[1]!, second = clock.count > 2 ? clock[2]! : 0
        guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        var offsetMinutes = 0
        if tokens.count > 4 {
            let zone = tokens[4]
            if let sign = zone.first, sign == "+" || sign == "-", zone.count == 5, let value = Int(zone.dropFirst()) {
                offsetMinutes = (value / 100 * 60 + value % 100) * (sign == "-" ? -1 : 1)
            } else if let named = zones[zone] {
                offsetMinutes = named
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
    }

    static func monthIndex(_ token: String) -> Int? {
        guard token.count >= 3 else { return nil }
        return months.firstIndex(of: String(token.prefix(3))).map { $0 + 1 }
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
