/// Parsing date strings into seconds since 1970-01-01 UTC and back into calendar fields.
///
/// Accepted: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fff]]` (any of `-/.`
/// between date parts, space or `T` before the time), and `M/D/YYYY [H:MM]` (or `D/M/YYYY`
/// when the first number exceeds 12). The proleptic Gregorian calendar is used without time
/// zones, so every timestamp is exact and cheap (no `DateFormatter`).
public enum Timestamp {
    /// Calendar fields of a timestamp.
    public struct Fields: Equatable, Sendable {
        /// Year, month 1-12, day 1-31, hour 0-23, minute 0-59, second 0-60 (UTC, no time zone).
        public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
        /// Fields of a date, midnight of January 1 by default (not validated).
        public init(year: Int, month: Int = 1, day: Int = 1, hour: Int = 0, minute: Int = 0, second: Int = 0) {
            (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
        }
    }

    /// Seconds since the epoch for `text`, or nil when it is not a date.
    ///
    /// ```swift
    /// Timestamp.parse("2016-07-01 01:00:00")   // 1467334800
    /// ```
    public static func parse(_ text: Substring) -> Double? {
        fields(text).map(seconds)
    }

    /// The calendar fields of `text`, or nil when it is not a date.
    public static func fields(_ text: Substring) -> Fields? {
        var groups: [(value: Int, digits: Int)] = []
        var current = 0, digits = 0
        for character in text.utf8 {
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard digits < 9 else { return nil }
                current = current * 10 + Int(character - UInt8(ascii: "0")); digits += 1
            case UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "T"),
                 UInt8(ascii: "."), UInt8(ascii: "Z"):
                if digits > 0 { groups.append((current, digits)); current = 0; digits = 0 }
            default:
                return nil
            }
        }
        if digits > 0 { groups.append((current, digits)) }
        guard let first = groups.first else { return nil }
        var values = groups.map(\.value)
        if first.digits != 4 {
            // M/D/YYYY or D/M/YYYY: the year comes third.
            guard groups.count >= 3, groups[2].digits == 4 else { return nil }
            let (a, b) = (values[0], values[1])
            values[0] = values[2]
            (values[1], values[2]) = a > 12 ? (b, a) : (a, b)
        }
        if values.count > 6 { values = Array(values.prefix(6)) }  // fractional seconds
        let f = Fields(year: values[0], month: values.count > 1 ? values[1] : 1, day: values.count > 2 ? values[2] : 1,
                       hour: values.count > 3 ? values[3] : 0, minute: values.count > 4 ? values[4] : 0,
                       second: values.count > 5 ? values[5] : 0)
        guard (1...12).contains(f.month), (1...daysInMonth(year: f.year, month: f.month)).contains(f.day),
              (0...23).contains(f.hour), (0...59).contains(f.minute), (0...60).contains(f.second) else { return nil }
        return f
    }

    /// Seconds since the epoch of calendar fields.
    public static func seconds(_ f: Fields) -> Double {
        Double(daysFromCivil(year: f.year, month: f.month, day: f.day) * 86_400 + f.hour * 3600 + f.minute * 60 + f.second)
    }

    /// Calendar fields of seconds since the epoch.
    public static func fields(seconds: Double) -> Fields {
        let total = Int(seconds.rounded(.down))
        var days = total / 86_400, rest = total % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = civilFromDays(days)
        return Fields(year: y, month: m, day: d, hour: rest / 3600, minute: rest % 3600 / 60, second: rest % 60)
    }

    /// Formats seconds since the epoch like `2016-07-01 01:00:00` (or shorter for coarse data).
    public static func format(_ seconds: Double, dateOnly: Bool = false, monthOnly: Bool = false) -> String {
        let f = fields(seconds: seconds)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        if monthOnly { return "\(f.year)-\(two(f.month))" }
        if dateOnly { return "\(f.year)-\(two(f.month))-\(two(f.day))" }
        return "\(f.year)-\(two(f.month))-\(two(f.day)) \(two(f.hour)):\(two(f.minute)):\(two(f.second))"
    }

    /// Day of the week, 0 = Monday.
    public static func weekday(seconds: Double) -> Int {
        let days = Int((seconds / 86_400).rounded(.down))
        return ((days % 7) + 7 + 3) % 7  // 1970-01-01 was a Thursday
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    /// Days in `month` (1-12) of `year`: 28-31.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's `days_from_civil`.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Howard Hinnant's `civil_from_days`.
    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
