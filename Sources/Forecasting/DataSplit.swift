/// The standard train/validation/test split of the long-horizon forecasting benchmarks.
///
/// Follows `data_provider/data_loader.py` of Time-Series-Library, AutoTimes and Time-LLM:
/// ETT hourly files use 12/4/4 months of 30 days (`[0, 8640)`, `[8640, 11520)`,
/// `[11520, 14400)`), ETT 15-minute files the same months times four, every other file
/// 70/10/20 in time order. Validation and test inputs may reach `lookback` rows back into
/// the previous split; only their targets lie inside.
public struct DataSplit: Codable, Sendable, Equatable {
    /// The split rule.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// `ettHourly`: 12/4/4 months of 30 days of hourly rows; `ettMinute`: the same months of
        /// 15-minute rows; `ratio`: 70/10/20 of the rows in time order.
        case ettHourly = "ett-hourly", ettMinute = "ett-minute", ratio
    }

    /// Rows the model trains on (inputs and targets).
    public var train: Range<Int>
    /// Target rows of the validation windows.
    public var validation: Range<Int>
    /// Target rows of the test windows.
    public var test: Range<Int>

    /// A split with explicit row ranges (normally consecutive and non-overlapping).
    public init(train: Range<Int>, validation: Range<Int>, test: Range<Int>) {
        (self.train, self.validation, self.test) = (train, validation, test)
    }

    /// The rule for a file: ETT by name (`ETTh*`, `ETTm*`), otherwise 70/10/20.
    public static func kind(forFile path: String) -> Kind {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasPrefix("ETTh") { return .ettHourly }
        if name.hasPrefix("ETTm") { return .ettMinute }
        return .ratio
    }

    /// The row ranges of each part (targets only) for a series of `length` rows.
    public static func make(_ kind: Kind, length: Int) throws -> DataSplit {
        switch kind {
        case .ettHourly, .ettMinute:
            let month = 30 * 24 * (kind == .ettMinute ? 4 : 1)
            guard length >= 20 * month else {
                throw ForecastError.insufficientData(detail: "the ETT split needs \(20 * month) rows, the file has \(length)")
            }
            return DataSplit(train: 0..<(12 * month), validation: (12 * month)..<(16 * month), test: (16 * month)..<(20 * month))
        case .ratio:
            let trainCount = Int(0.7 * Double(length)), testCount = Int(0.2 * Double(length))
            let validationCount = length - trainCount - testCount
            return DataSplit(train: 0..<trainCount, validation: trainCount..<(trainCount + validationCount),
                             test: (trainCount + validationCount)..<length)
        }
    }

    /// Start rows of the stride-1 windows whose `horizon` targets lie in `part` and whose
    /// `lookback` inputs end right before them (inputs may start in the previous part).
    public static func windowStarts(targets part: Range<Int>, lookback: Int, horizon: Int) -> [Int] {
        let first = max(part.lowerBound, lookback)
        guard part.upperBound - horizon >= first else { return [] }
        return Array(first...(part.upperBound - horizon))
    }
}
