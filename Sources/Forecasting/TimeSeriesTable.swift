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
    /// One array per series, `values[column][row]`. Missing values are filled, their rows
    /// dropped, or NaN, as ``DataReport/missingPolicy`` says.
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

    /// Whether any value is NaN (a missing value kept by ``MissingPolicy/keep``).
    public var hasMissingValues: Bool { values.contains { $0.contains { $0.isNaN } } }

    /// The table with every NaN filled linearly between its neighbours (the nearest value at
    /// the ends), and the count filled per column recorded in the report.
    public func interpolatingMissing() throws -> TimeSeriesTable {
        var copy = self
        for c in copy.values.indices where copy.values[c].contains(where: \.isNaN) {
            copy.report.filledValues[columnNames[c]] = try MissingValues.fillLinearly(&copy.values[c], name: columnNames[c])
        }
        return copy
    }

    /// The rows `range` of every series (and of the timestamps).
    public func rows(_ range: Range<Int>) -> TimeSeriesTable {
        var copy = self
        copy.timestamps = timestamps.map { Array($0[range]) }
        copy.values = values.map { Array($0[range]) }
        return copy
    }
}

/// What the reader found and repaired: missing values and irregular timestamps.
public struct DataReport: Codable, Sendable, Equatable {
    /// The missing values found, per column name (columns without any are absent).
    public var missing: [String: MissingColumnReport] = [:]
    /// What was done with the missing values.
    public var missingPolicy: MissingPolicy = .interpolate
    /// Rows dropped for holding a missing value (``MissingPolicy/drop``).
    public var droppedRows = 0
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

    /// Total missing values found.
    public var totalMissing: Int { missing.values.reduce(0) { $0 + $1.total } }

    /// One line per finding, for stderr: what was done with the missing values, then one line
    /// per column that has any.
    public var lines: [String] {
        var result: [String] = []
        if totalFilled > 0 {
            let detail = filledValues.sorted { $0.key < $1.key }.filter { $0.value > 0 }.map { "\($0.key): \($0.value)" }
            result.append("filled \(totalFilled) missing values by linear interpolation (\(detail.joined(separator: ", ")))")
        }
        if droppedRows > 0 {
            result.append("dropped \(droppedRows) rows with a missing value (--missing drop); the rows left are read as consecutive steps")
        }
        if missingPolicy == .keep, totalMissing > 0 {
            result.append("kept \(totalMissing) missing values as NaN (--missing keep); training and validation skip the windows that hold one")
        }
        for (name, column) in missing.sorted(by: { $0.key < $1.key }) { result.append("'\(name)': \(column.summary)") }
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
