import Foundation

/// Reads time-series CSV files: a header row, an optional date column, numeric columns.
///
/// - Fields are separated by commas, semicolons or tabs: the `delimiter` given, else the one of
///   these the header line holds most often outside quotes (a comma when none is more frequent).
/// - The date column is the one named by `dateColumn`, else the first whose header says so
///   (`date`, `time`, `timestamp`, `datetime`, `ds`, `month`, `year`, ...), else the first
///   column whose first cell parses as a date with a separator (`2016-07-01`, `1990/1/1 0:00`).
/// - Series are the `columns` asked for, or every column whose first filled cell is a number.
/// - Empty cells, `NA`, `N/A`, `NaN`, `null`, `none`, `?`, `-` (any case) and sentinel values
///   (round 9s values such as -9999 far outside the column's range, see
///   ``MissingValues/sentinels(in:)``) are missing. They are counted per column with their first
///   lines in the ``DataReport`` and handled as `missing` says (see ``MissingPolicy``; default:
///   filled linearly between their neighbours, the nearest value at the ends).
/// - Time steps that differ from the inferred frequency are counted and reported, not fixed.
/// - Any other non-numeric cell in a series throws with its line and column.
///
/// ```swift
/// let table = try TimeSeriesCSV.read(path: "data.csv", columns: ["OT"])
/// for line in table.report.lines { print(line) }
/// ```
public enum TimeSeriesCSV {
    static let dateNames: Set<String> = ["date", "time", "timestamp", "datetime", "ds", "month", "year", "week", "day", "period"]
    static let missingMarkers: Set<String> = ["", "na", "n/a", "nan", "null", "none", "?", "-"]

    /// The delimiters ``detectDelimiter(header:)`` chooses from; a comma wins ties.
    public static let detectedDelimiters: [Character] = [",", ";", "\t"]

    /// Reads and parses a file. See ``parse(_:path:dateColumn:columns:delimiter:missing:)``.
    public static func read(path: String, dateColumn: String? = nil, columns: [String]? = nil,
                            delimiter: Character? = nil, missing: MissingPolicy = .interpolate) throws -> TimeSeriesTable {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ForecastError.unreadableFile(path: path, detail: "cannot read the file (\(error.localizedDescription))")
        }
        try checkLineLengths(data, path: path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ForecastError.unreadableFile(path: path, detail: "not UTF-8 text")
        }
        return try parse(text, path: path, dateColumn: dateColumn, columns: columns, delimiter: delimiter, missing: missing)
    }

    /// Parses CSV text; `path` only names the source in errors. `delimiter` separates fields
    /// (default: detected from the header line by ``detectDelimiter(header:)``); `missing` says
    /// what happens to missing values (default: linear interpolation).
    public static func parse(_ text: String, path: String = "<input>", dateColumn: String? = nil,
                             columns: [String]? = nil, delimiter: Character? = nil,
                             missing: MissingPolicy = .interpolate) throws -> TimeSeriesTable {
        var rows: [(line: Int, cells: [Substring])] = []
        var lineNumber = 0
        var separator = delimiter
        // "\r\n" is one Character in Swift, so split on every newline kind.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fieldSeparator = separator ?? detectDelimiter(header: line)
            separator = fieldSeparator
            rows.append((lineNumber, try splitFields(line, path: path, line: lineNumber, delimiter: fieldSeparator)))
        }
        guard let header = rows.first else { throw ForecastError.malformedCSV(path: path, line: 1, detail: "the file is empty") }
        let names = header.cells.map { String($0).trimmingCharacters(in: .whitespaces) }
        let body = Array(rows.dropFirst())
        guard body.count >= 2 else {
            throw ForecastError.insufficientData(detail: "\(path) has \(body.count) data rows; a series needs at least 2")
        }
        for row in body where row.cells.count != names.count {
            throw ForecastError.malformedCSV(path: path, line: row.line, detail: "has \(row.cells.count) fields, the header has \(names.count)")
        }

        var report = DataReport()
        let dateIndex = try findDateColumn(names: names, first: body[0].cells, requested: dateColumn, path: path)
        var timestamps: [Double]?
        if let dateIndex {
            report.dateColumn = names[dateIndex]
            timestamps = try body.map { row in
                guard let seconds = Timestamp.parse(trimmed(row.cells[dateIndex])) else {
                    throw ForecastError.malformedCSV(path: path, line: row.line,
                                                     detail: "column \(dateIndex + 1) ('\(names[dateIndex])'): cannot read '\(row.cells[dateIndex])' as a date")
                }
                return seconds
            }
        }

        let selected: [Int]
        if let columns, !columns.isEmpty {
            selected = try columns.map { name in
                if let index = names.firstIndex(of: name) { return index }
                if let number = Int(name), number >= 1, number <= names.count { return number - 1 }
                throw ForecastError.unknownColumn(path: path, name: name, available: names)
            }
        } else {
            selected = names.indices.filter { index in
                guard index != dateIndex else { return false }
                let firstFilled = body.lazy.map { trimmed($0.cells[index]) }.first { !isMissing($0) }
                let numeric = firstFilled.map { Double($0) != nil } ?? false
                if !numeric { report.skippedColumns.append(names[index]) }
                return numeric
            }
        }
        guard !selected.isEmpty else { throw ForecastError.insufficientData(detail: "\(path) has no numeric column") }

        var values: [[Float]] = []
        for index in selected {
            var column = [Float](repeating: .nan, count: body.count)
            for (r, row) in body.enumerated() {
                let cell = trimmed(row.cells[index])
                if isMissing(cell) { continue }
                guard let value = Double(cell), value.isFinite else {
                    throw ForecastError.nonNumericCell(path: path, line: row.line, column: index + 1, name: names[index], text: String(cell))
                }
                column[r] = Float(value)
            }
            values.append(column)
        }
        // The frequency comes from every row, so that rows dropped for a missing value show as gaps.
        let frequency = timestamps.map { Frequency.infer(from: $0) } ?? .steps
        var lines = body.map(\.line)
        try resolveMissing(&values, names: selected.map { names[$0] }, lines: &lines, timestamps: &timestamps,
                           policy: missing, path: path, report: &report)
        if let timestamps { checkSteps(timestamps, frequency: frequency, lines: lines, into: &report) }
        return TimeSeriesTable(timestamps: timestamps, columnNames: selected.map { names[$0] }, values: values,
                               frequency: frequency, report: report)
    }

    static func trimmed(_ cell: Substring) -> Substring {
        var cell = cell
        while let first = cell.first, first == " " || first == "\t" { cell = cell.dropFirst() }
        while let last = cell.last, last == " " || last == "\t" { cell = cell.dropLast() }
        return cell
    }

    static func isMissing(_ cell: Substring) -> Bool {
        cell.isEmpty || missingMarkers.contains(cell.lowercased())
    }

    /// The field separator of a file whose header line is `header`: whichever of
    /// ``detectedDelimiters`` occurs most often outside double quotes; a comma when none occurs
    /// or when the comma ties for most.
    public static func detectDelimiter<Line: StringProtocol>(header: Line) -> Character {
        var counts: [Character: Int] = [:]
        var inQuotes = false
        for character in header {
            if character == "\"" { inQuotes.toggle() } else if !inQuotes, detectedDelimiters.contains(character) { counts[character, default: 0] += 1 }
        }
        let most = counts.values.max() ?? 0
        guard most > 0, counts[","] != most else { return "," }
        let winners = detectedDelimiters.filter { counts[$0] == most }
        return winners.count == 1 ? winners[0] : ","
    }

    /// Splits one line on `delimiter`, honouring double quotes (`""` inside quotes is a quote).
    static func splitFields(_ line: Substring, path: String, line lineNumber: Int, delimiter: Character = ",") throws -> [Substring] {
        guard line.contains("\"") else { return line.split(separator: delimiter, omittingEmptySubsequences: false) }
        var fields: [Substring] = []
        var current = ""
        var inQuotes = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if inQuotes {
                if character == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == "\"" { current.append("\""); index = next } else { inQuotes = false }
                } else { current.append(character) }
            } else if character == "\"" {
                inQuotes = true
            } else if character == delimiter {
                fields.append(Substring(current)); current = ""
            } else { current.append(character) }
            index = line.index(after: index)
        }
        guard !inQuotes else { throw ForecastError.malformedCSV(path: path, line: lineNumber, detail: "unterminated quoted field") }
        fields.append(Substring(current))
        return fields
    }

    static func findDateColumn(names: [String], first: [Substring], requested: String?, path: String) throws -> Int? {
        if let requested {
            if let index = names.firstIndex(of: requested) { return index }
            if let number = Int(requested), number >= 1, number <= names.count { return number - 1 }
            throw ForecastError.unknownColumn(path: path, name: requested, available: names)
        }
        if let index = names.firstIndex(where: { dateNames.contains($0.lowercased()) }),
           Timestamp.parse(trimmed(first[index])) != nil {
            return index
        }
        return first.indices.first { index in
            let cell = trimmed(first[index])
            return cell.contains(where: { "-/:".contains($0) }) && Timestamp.parse(cell) != nil
        }
    }

    /// Counts steps that differ from the frequency's calendar step.
    static func checkSteps(_ timestamps: [Double], frequency: Frequency, lines: [Int], into report: inout DataReport) {
        guard frequency != .steps else { return }
        for index in timestamps.indices.dropFirst() {
            let expected = frequency.advance(timestamps[index - 1])
            guard abs(timestamps[index] - expected) > 0.5 else { continue }
            report.irregularSteps += 1
            if report.irregularExamples.count < 5 {
                let showTime = frequency.showsTime
                report.irregularExamples.append("line \(lines[index]): \(Timestamp.format(timestamps[index - 1], dateOnly: !showTime)) -> \(Timestamp.format(timestamps[index], dateOnly: !showTime))")
            }
        }
    }
}
