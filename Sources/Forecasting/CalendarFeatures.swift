/// Calendar features of a timestamp, the no-LLM stand-in for AutoTimes' timestamp position
/// embeddings (Liu et al. 2024, Sec. 3.2 "timestamps as position embeddings", where an LLM
/// embeds the text "This is Time Series from A to B").
///
/// Each feature is scaled to [-0.5, 0.5] like Time-Series-Library's `time_features`:
/// minute of hour, hour of day, day of week, day of month, day of year, month of year.
public enum CalendarFeatures {
    /// Features per timestamp.
    public static let count = 6

    /// The features of one timestamp (seconds since the epoch).
    public static func features(seconds: Double) -> [Float] {
        let f = Timestamp.fields(seconds: seconds)
        let dayOfYear = Timestamp.daysFromCivil(year: f.year, month: f.month, day: f.day)
            - Timestamp.daysFromCivil(year: f.year, month: 1, day: 1)
        return [
            Float(f.minute) / 59 - 0.5,
            Float(f.hour) / 23 - 0.5,
            Float(Timestamp.weekday(seconds: seconds)) / 6 - 0.5,
            Float(f.day - 1) / 30 - 0.5,
            Float(dayOfYear) / 365 - 0.5,
            Float(f.month - 1) / 11 - 0.5,
        ]
    }
}
