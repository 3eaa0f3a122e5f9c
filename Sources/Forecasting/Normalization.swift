/// Scaling used by the standard protocol and by the model.
///
/// - ``StandardScaler``: one mean and population standard deviation per channel, fit on the
///   training rows only (scikit-learn's `StandardScaler`, as in Time-Series-Library's loaders).
/// - ``InstanceNormalization``: each window is normalised by its own lookback's mean and
///   standard deviation before the model and de-normalised after (RevIN, Kim et al. 2022;
///   AutoTimes, Liu et al. 2024, Sec. 3.1 "normalization").
public struct StandardScaler: Codable, Sendable, Equatable {
    /// Mean of each series over the fitted rows.
    public var means: [Float]
    /// Population standard deviation of each series over the fitted rows (1 for a constant series).
    public var deviations: [Float]

    /// Fits one mean and population std per series on `rows`, skipping NaNs (missing values).
    public init(fitting values: [[Float]], rows: Range<Int>) {
        means = []; deviations = []
        for series in values {
            var sum = 0.0, squares = 0.0, count = 0
            for index in rows where !series[index].isNaN { sum += Double(series[index]); count += 1 }
            let mean = sum / Double(max(count, 1))
            for index in rows where !series[index].isNaN { let d = Double(series[index]) - mean; squares += d * d }
            let deviation = (squares / Double(max(count, 1))).squareRoot()
            means.append(Float(mean))
            deviations.append(deviation > 1e-12 ? Float(deviation) : 1)
        }
    }

    /// `(x - mean) / std` per series.
    public func transform(_ values: [[Float]]) -> [[Float]] {
        values.enumerated().map { c, series in series.map { ($0 - means[c]) / deviations[c] } }
    }

    /// `x * std + mean` per series.
    public func inverse(_ values: [[Float]]) -> [[Float]] {
        values.enumerated().map { c, series in series.map { $0 * deviations[c] + means[c] } }
    }
}

/// Per-window normalisation statistics (mean and standard deviation of one lookback).
public struct InstanceNormalization: Sendable, Equatable {
    /// Mean of the window, in data units.
    public let mean: Float
    /// `sqrt(variance + epsilon)` of the window, in data units (never 0).
    public let deviation: Float

    /// Statistics of `window`; `epsilon` keeps flat windows finite (AutoTimes adds 1e-5 to the variance).
    public init<C: Collection>(window: C, epsilon: Float = 1e-5) where C.Element == Float {
        var sum = 0.0
        for value in window { sum += Double(value) }
        let mean = sum / Double(max(window.count, 1))
        var squares = 0.0
        for value in window { let d = Double(value) - mean; squares += d * d }
        self.mean = Float(mean)
        deviation = Float((squares / Double(max(window.count, 1)) + Double(epsilon)).squareRoot())
    }

    /// `(value - mean) / deviation`.
    public func normalize(_ value: Float) -> Float { (value - mean) / deviation }
    /// `value * deviation + mean`, the inverse of `normalize`.
    public func denormalize(_ value: Float) -> Float { value * deviation + mean }
    /// Every value normalised, in order.
    public func normalize<C: Collection>(_ values: C) -> [Float] where C.Element == Float { values.map(normalize) }
    /// Every value de-normalised, in order.
    public func denormalize<C: Collection>(_ values: C) -> [Float] where C.Element == Float { values.map(denormalize) }
}
