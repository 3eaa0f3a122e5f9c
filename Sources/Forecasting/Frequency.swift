/// The sampling interval of a series, inferred from its timestamps (minutes to years).
///
/// It decides the default segment length S (AutoTimes, Liu et al. 2024, Sec. 4: 96 points per
/// token for hourly data), the seasonal period of the seasonal-naive baseline and the
/// timestamps written for future points.
public enum Frequency: Codable, Equatable, Sendable, CustomStringConvertible {
    /// Every `n` minutes.
    case minutes(Int)
    /// Every `n` hours.
    case hours(Int)
    /// Every `n` days.
    case days(Int)
    /// Every `n` weeks.
    case weeks(Int)
    /// Every `n` calendar months (3 = quarterly).
    case months(Int)
    /// Every `n` calendar years.
    case years(Int)
    /// No timestamps (or no regular step): points are numbered.
    case steps

    /// Infers the frequency from the median positive difference between timestamps.
    public static func infer(from timestamps: [Double]) -> Frequency {
        var differences: [Double] = []
        for index in timestamps.indices.dropFirst() where timestamps[index] > timestamps[index - 1] {
            differences.append(timestamps[index] - timestamps[index - 1])
        }
        guard !differences.isEmpty else { return .steps }
        differences.sort()
        let median = differences[differences.count / 2]
        let day = 86_400.0
        switch median {
        case ..<3600: return .minutes(max(1, Int((median / 60).rounded())))
        case ..<day: return .hours(max(1, Int((median / 3600).rounded())))
        case ..<(7 * day): return .days(max(1, Int((median / day).rounded())))
        case ..<(28 * day): return .weeks(max(1, Int((median / (7 * day)).rounded())))
        case ..<(360 * day): return .months(max(1, Int((median / (30.44 * day)).rounded())))
        default: return .years(max(1, Int((median / (365.25 * day)).rounded())))
        }
    }

    /// The timestamp `count` steps after `seconds` (calendar-aware for months and years: the
    /// day is clamped to the target month's length; `.steps` advances by `count` seconds).
    public func advance(_ seconds: Double, by count: Int = 1) -> Double {
        switch self {
        case .minutes(let n): return seconds + Double(60 * n * count)
        case .hours(let n): return seconds + Double(3600 * n * count)
        case .days(let n): return seconds + Double(86_400 * n * count)
        case .weeks(let n): return seconds + Double(7 * 86_400 * n * count)
        case .steps: return seconds + Double(count)
        case .months(let n), .years(let n):
            let months = (self == .months(n) ? n : 12 * n) * count
            var f = Timestamp.fields(seconds: seconds)
            let total = f.year * 12 + (f.month - 1) + months
            f.year = total / 12; f.month = total % 12 + 1
            f.day = min(f.day, Timestamp.daysInMonth(year: f.year, month: f.month))
            return Timestamp.seconds(f)
        }
    }

    /// Default segment length S: 96 for minute and hourly data as in AutoTimes; shorter for
    /// coarse data, where series are short.
    public var defaultSegmentLength: Int {
        switch self {
        case .minutes, .hours: return 96
        case .days: return 28
        case .weeks: return 12
        case .months: return 12
        case .years: return 4
        case .steps: return 24
        }
    }

    /// The dominant seasonal period in points (a day for sub-daily data, a week for daily,
    /// a year for weekly and monthly data).
    public var seasonalPeriod: Int {
        switch self {
        case .minutes(let n): return max(1, 1440 / n)
        case .hours(let n): return max(1, 24 / n)
        case .days: return 7
        case .weeks: return 52
        case .months(let n): return max(1, 12 / n)
        case .years, .steps: return 1
        }
    }

    public var description: String {
        switch self {
        case .minutes(let n): return n == 1 ? "minutely" : "\(n) minutes"
        case .hours(let n): return n == 1 ? "hourly" : "\(n) hours"
        case .days(let n): return n == 1 ? "daily" : "\(n) days"
        case .weeks(let n): return n == 1 ? "weekly" : "\(n) weeks"
        case .months(let n): return n == 1 ? "monthly" : n == 3 ? "quarterly" : "\(n) months"
        case .years(let n): return n == 1 ? "yearly" : "\(n) years"
        case .steps: return "no timestamps"
        }
    }

    /// Whether timestamps of this frequency carry a time of day.
    var showsTime: Bool {
        switch self {
        case .minutes, .hours: return true
        default: return false
        }
    }
}
