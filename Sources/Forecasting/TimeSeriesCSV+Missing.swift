extension TimeSeriesCSV {
    /// How many missing values' lines each column's report lists.
    static let reportedLines = 5

    /// Finds the missing values of the parsed columns (NaN where a cell was empty or NA-style,
    /// plus the sentinels of ``MissingValues/sentinels(in:)``, which become NaN), reports them
    /// per column, and applies `policy`.
    ///
    /// - Parameters:
    ///   - values: one array per column, NaN at empty and NA-style cells.
    ///   - lines: the file line of each row; with ``MissingPolicy/drop``, the lines of the rows kept.
    ///   - timestamps: one per row; with ``MissingPolicy/drop``, those of the rows kept.
    /// - Throws: ``ForecastError/insufficientData(detail:)`` when a column has no value at all,
    ///   or when dropping leaves fewer than 2 rows.
    static func resolveMissing(_ values: inout [[Float]], names: [String], lines: inout [Int], timestamps: inout [Double]?,
                               policy: MissingPolicy, path: String, report: inout DataReport) throws {
        report.missingPolicy = policy
        for c in values.indices {
            var column = MissingColumnReport()
            column.cells = values[c].reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
            for sentinel in MissingValues.sentinels(in: values[c]) {
                var count = 0
                for r in values[c].indices where values[c][r] == sentinel {
                    values[c][r] = .nan
                    count += 1
                }
                column.sentinels[String(Int64(sentinel))] = count
            }
            guard column.total > 0 else { continue }
            let series = values[c]
            column.firstLines = series.indices.lazy.filter { series[$0].isNaN }.prefix(reportedLines).map { lines[$0] }
            guard column.total < values[c].count else {
                throw ForecastError.insufficientData(detail: "\(path): column '\(names[c])' has no values")
            }
            report.missing[names[c]] = column
        }
        switch policy {
        case .interpolate:
            for c in values.indices {
                let leading = values[c].prefix { $0.isNaN }.count
                if leading > 0 { report.leadingMissing[names[c]] = leading }
                report.filledValues[names[c]] = try MissingValues.fillLinearly(&values[c], name: names[c], path: path)
            }
        case .keep:
            for c in values.indices {
                let leading = values[c].prefix { $0.isNaN }.count
                if leading > 0 { report.leadingMissing[names[c]] = leading }
            }
        case .drop:
            let rowCount = values.first?.count ?? 0
            let kept = (0..<rowCount).filter { r in values.allSatisfy { !$0[r].isNaN } }
            report.droppedRows = rowCount - kept.count
            guard kept.count >= 2 else {
                throw ForecastError.insufficientData(detail: "\(path): --missing drop leaves \(kept.count) of \(rowCount) rows (a series needs at least 2); use --missing interpolate or fewer --columns")
            }
            guard kept.count < rowCount else { return }
            values = values.map { column in kept.map { column[$0] } }
            lines = kept.map { lines[$0] }
            timestamps = timestamps.map { stamps in kept.map { stamps[$0] } }
        }
    }
}
