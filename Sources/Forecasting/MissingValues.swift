/// What to do with the missing values of a table (`forecast --missing`).
///
/// Missing values are empty cells, NA-style tokens (see ``TimeSeriesCSV``) and sentinel values
/// (see ``MissingValues/sentinels(in:)``).
public enum MissingPolicy: String, CaseIterable, Codable, Sendable {
    /// Fill each gap linearly between its neighbours; a gap at either end takes the nearest value.
    case interpolate
    /// Drop every row with a missing value in any used column. The rows left are read as
    /// consecutive steps: a dropped row shortens the series and its time axis by one step
    /// (reported as irregular time steps when the file has a date column), and a fixed-row
    /// split such as ETT's falls on later dates.
    case drop
    /// Keep missing values as NaN. Training and validation skip every window that holds one;
    /// a scaler fit skips them.
    case keep
}

/// Detection and linear interpolation of missing values (NaN).
public enum MissingValues {
    /// How many robust scales (1.4826 × the median absolute deviation) a sentinel lies from
    /// the median of the column's other values, at least.
    public static let sentinelScales = 10.0

    /// True for a round 9s sentinel: ±99, ±999, ±9999, ... (an integer whose digits are all 9,
    /// at least two of them).
    public static func isNinesSentinel(_ value: Double) -> Bool {
        let magnitude = abs(value)
        guard magnitude >= 99, magnitude < 1e15, magnitude == magnitude.rounded() else { return false }
        var digits = Int64(magnitude)
        while digits > 0 {
            if digits % 10 != 9 { return false }
            digits /= 10
        }
        return true
    }

    /// The sentinel values of a column: the round 9s values (``isNinesSentinel(_:)``) that lie
    /// outside the range of the column's other values and more than ``sentinelScales`` robust
    /// scales from their median.
    ///
    /// A 9s value among values of its size (9999 in a column around 10000) is data, and so is
    /// an outlier that is not a 9s value (5000 in a column around 10). A single occurrence is
    /// enough: one -9999 in a validation window dominates its mean squared error. NaNs are ignored.
    ///
    /// ```swift
    /// MissingValues.sentinels(in: [1, 2, -9999, 3, -9999])   // [-9999]
    /// ```
    public static func sentinels(in column: [Float]) -> [Float] {
        let candidates = Set(column.filter { !$0.isNaN && isNinesSentinel(Double($0)) })
        guard !candidates.isEmpty else { return [] }
        let others = column.filter { !$0.isNaN && !candidates.contains($0) }.map(Double.init).sorted()
        guard others.count >= 2, let lowest = others.first, let highest = others.last else { return [] }
        let median = Self.median(others)
        var scale = 1.4826 * Self.median(others.map { abs($0 - median) }.sorted())
        if scale == 0 { scale = 1.2533 * others.reduce(0) { $0 + abs($1 - median) } / Double(others.count) }
        if scale == 0 { scale = max(abs(median), 1) * 1e-6 }
        return candidates.filter { value in
            let value = Double(value)
            return (value < lowest || value > highest) && abs(value - median) > sentinelScales * scale
        }.sorted()
    }

    static func median(_ sorted: [Double]) -> Double {
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Fills NaNs linearly between the nearest filled neighbours (the nearest value at the
    /// ends) and returns how many were filled.
    ///
    /// - Throws: ``ForecastError/insufficientData(detail:)`` when every value is NaN.
    @discardableResult
    public static func fillLinearly(_ values: inout [Float], name: String = "series", path: String = "<input>") throws -> Int {
        let known = values.indices.filter { !values[$0].isNaN }
        guard let first = known.first, let last = known.last else {
            throw ForecastError.insufficientData(detail: "\(path): column '\(name)' has no values")
        }
        var filled = 0
        for index in 0..<first { values[index] = values[first]; filled += 1 }
        for index in (last + 1)..<values.count { values[index] = values[last]; filled += 1 }
        var previous = first
        for index in known.dropFirst() {
            if index > previous + 1 {
                let (a, b) = (values[previous], values[index])
                for gap in (previous + 1)..<index {
                    let t = Float(gap - previous) / Float(index - previous)
                    values[gap] = a + (b - a) * t
                    filled += 1
                }
            }
            previous = index
        }
        return filled
    }
}

/// The missing values found in one column.
public struct MissingColumnReport: Codable, Sendable, Equatable {
    /// Empty cells and NA-style tokens.
    public var cells = 0
    /// Sentinel values found, as written (`-9999`), to how many cells held each.
    public var sentinels: [String: Int] = [:]
    /// The file lines (1-based, the header is line 1) of the first few missing values.
    public var firstLines: [Int] = []

    /// Nothing found.
    public init() {}

    /// Every missing value of the column.
    public var total: Int { cells + sentinels.values.reduce(0, +) }

    /// `7 missing (2 empty or NA cells, 5 × sentinel -9999), first at lines 4, 9, 12`.
    public var summary: String {
        var parts: [String] = []
        if cells > 0 { parts.append("\(cells) empty or NA cell\(cells == 1 ? "" : "s")") }
        for (value, count) in sentinels.sorted(by: { $0.key < $1.key }) { parts.append("\(count) × sentinel \(value)") }
        let lines = firstLines.map(String.init).joined(separator: ", ")
        return "\(total) missing (\(parts.joined(separator: ", "))), first at line\(firstLines.count == 1 ? "" : "s") \(lines)\(total > firstLines.count ? ", ..." : "")"
    }
}
