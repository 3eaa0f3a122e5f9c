/// Several aligned series read from one CSV file: one timestamp column and numeric columns.
///
/// ```swift
/// let table = try TimeSeriesCSV.read(path: "ETTh1.csv")
/// print(table.columnNames, table.length, table.frequency)   // [HUFL, ..., OT] 17420 hourly
/// ```
public struct TimeSeriesTable: Sendable {
    /// Seconds since the epoch per row, or nil when the file has no date column.
    public var timestamps: [Double]?
    /// Names of the series, in file order.
    public var columnNames: [String]
    /// One array per series, `values[column][row]`, missing values already filled.
    public var values: [[Float]]
    /// The sampling interval.
    public var frequency: Frequency
    /// What was repaired or looks wrong.
    public var report: DataReport

    /// A table from aligned columns (`values[c].count` equal for all c, and to `timestamps.count`).
    public init(timestamps: [Double]?, columnNames: [String], values: [[Float]], frequency: Frequency,
                report: DataReport = DataReport()) {
        self.timestamps = timestamps
        self.columnNames = columnNames
        self.values = values
        self.frequency = frequency
        self.report = report
    }

    /// Rows per series.
    public var length: Int { values.first?.count ?? 0 }

    /// The rows `range` of every series (and of the timestamps).
    public func rows(_ range: Range<Int>) -> TimeSeriesTable {
        var copy = self
        copy.timestamps = timestamps.map { Array($0[range]) }
        copy.values = values.map { Array($0[range]) }
        return copy
    }
}

/// What the reader found and repaired: filled missing values and irregular timestamps.
public struct DataReport: Codable, Sendable, Equatable {
    /// Missing cells filled by linear interpolation, per column name.
    public var filledValues: [String: Int] = [:]
    /// Missing cells before each column's first value (filled with that value), per column
    /// name: a series that starts late. Forecasts read the history after them.
    public var leadingMissing: [String: Int] = [:]
    /// Rows whose time step differs from the inferred frequency (gaps, duplicates, reversals).
    public var irregularSteps: Int = 0
    /// Up to five examples, `line N: previous -> current`.
    public var irregularExamples: [String] = []
    /// The date column used, if any.
    public var dateColumn: String?
    /// Text columns left out because they are not numeric.
    public var skippedColumns: [String] = []

    /// An empty report (nothing filled, nothing irregular).
    public init() {}

    /// Total filled cells.
    public var totalFilled: Int { filledValues.values.reduce(0, +) }

    /// One line per finding, for stderr.
    public var lines: [String] {
        var result: [String] = []
        if totalFilled > 0 {
            let detail = filledValues.sorted { $0.key < $1.key }.filter { $0.value > 0 }.map { "\($0.key): \($0.value)" }
            result.append("filled \(totalFilled) missing values by linear interpolation (\(detail.joined(separator: ", ")))")
        }
        for (name, count) in leadingMissing.sorted(by: { $0.key < $1.key }) {
            result.append("'\(name)' starts after \(count) missing rows; forecasts read its history from its first value")
        }
        if irregularSteps > 0 {
            result.append("\(irregularSteps) irregular time steps, e.g. \(irregularExamples.joined(separator: "; "))")
        }
        if !skippedColumns.isEmpty { result.append("skipped non-numeric columns: \(skippedColumns.joined(separator: ", "))") }
        return result
    }
}
