// Point and interval metrics beyond MSE/MAE: the M4 competition's sMAPE and MASE
// (Makridakis et al. 2020, "The M4 Competition: 100,000 time series and 61 forecasting
// methods", Sec. 2.3), and the coverage and weighted quantile loss of a 10-90% band (the
// probabilistic scores of GluonTS and Chronos).

/// Which test a report follows.
public enum EvaluationProtocol: String, Codable, Sendable, CaseIterable {
    /// The long-horizon protocol (``ForecastEvaluation``): train-fit scaler, stride-1 windows
    /// over the test split, MSE/MAE on scaled values.
    case ett
    /// The M3/M4 protocol (``CompetitionEvaluation``): the last H points of each series held
    /// out and forecast from everything before them, sMAPE and MASE on the original values.
    case competition

    /// The default horizons for data of `frequency`: ett 96, 192, 336, 720 (24, 36, 48, 60 for
    /// weekly data, as for national_illness); competition the M4 horizon
    /// (``CompetitionProtocol/defaultHorizon(for:)``), nil when the data has no timestamps.
    public func defaultHorizons(for frequency: Frequency) -> [Int]? {
        switch self {
        case .ett:
            if case .weeks = frequency { return [24, 36, 48, 60] }
            return [96, 192, 336, 720]
        case .competition:
            return CompetitionProtocol.defaultHorizon(for: frequency).map { [$0] }
        }
    }
}

/// A forecast of one series with an optional 10-90% band (`lower` = 10% quantile,
/// `upper` = 90% quantile, each as long as `point`).
public struct IntervalForecast: Sendable, Equatable {
    /// The point forecast (scored as the median in the quantile loss).
    public var point: [Float]
    /// The 10% quantile, or nil when the method gives no band.
    public var lower: [Float]?
    /// The 90% quantile, or nil when the method gives no band.
    public var upper: [Float]?

    /// A forecast with or without a band.
    public init(point: [Float], lower: [Float]? = nil, upper: [Float]? = nil) {
        (self.point, self.lower, self.upper) = (point, lower, upper)
    }
}

/// The metrics' definitions, one series at a time.
public enum ForecastMetrics {
    /// The quantile levels of the weighted quantile loss: the band's edges and the point forecast.
    public static let quantiles: [Double] = [0.1, 0.5, 0.9]

    /// M4 sMAPE in percent: `200 / H * Σ |y - ŷ| / (|y| + |ŷ|)`; a term with `y = ŷ = 0` counts 0.
    public static func smape(prediction: ArraySlice<Float>, target: ArraySlice<Float>) -> Double {
        var sum = 0.0, count = 0
        for (p, t) in zip(prediction, target) {
            let denominator = abs(Double(p)) + abs(Double(t))
            if denominator > 0 { sum += abs(Double(p) - Double(t)) / denominator }
            count += 1
        }
        return count == 0 ? 0 : 200 * sum / Double(count)
    }

    /// The MASE denominator: the mean absolute error of the in-sample seasonal-naive forecast,
    /// `1 / (n - m) * Σ_{t >= m} |x[t] - x[t - m]|`. A history of at most `period` points uses
    /// `m = 1`, as the M4 code does. Nil when the history has fewer than two points or the
    /// error is 0 (a constant history), where MASE is undefined.
    public static func maseScale(history: ArraySlice<Float>, period: Int) -> Double? {
        let m = history.count > period ? max(1, period) : 1
        guard history.count > m else { return nil }
        var sum = 0.0
        let base = history.startIndex
        for t in (base + m)..<history.endIndex { sum += abs(Double(history[t]) - Double(history[t - m])) }
        let scale = sum / Double(history.count - m)
        return scale > 0 ? scale : nil
    }

    /// MASE: the forecast's mean absolute error over `scale` (``maseScale(history:period:)``).
    public static func mase(prediction: ArraySlice<Float>, target: ArraySlice<Float>, scale: Double) -> Double {
        var sum = 0.0, count = 0
        for (p, t) in zip(prediction, target) { sum += abs(Double(p) - Double(t)); count += 1 }
        return count == 0 ? 0 : sum / Double(count) / scale
    }

    /// The pinball loss of quantile `level` predicted as `prediction` for the outcome `target`.
    public static func pinball(_ prediction: Float, _ target: Float, level: Double) -> Double {
        let d = Double(target) - Double(prediction)
        return d >= 0 ? level * d : (level - 1) * d
    }
}

/// Sums of every metric over the series and horizon steps added, in double precision.
public struct ScoreAccumulator: Sendable {
    /// MSE/MAE terms (on whatever units the caller adds: scaled values in both protocols).
    public var errors = ErrorAccumulator()
    private var smapeSum = 0.0, smapeSeries = 0
    private var maseSum = 0.0, maseSeries = 0
    private var covered = 0, bandPoints = 0
    private var quantileLosses = [Double](repeating: 0, count: ForecastMetrics.quantiles.count)
    private var absoluteTargets = 0.0

    /// An empty accumulator.
    public init() {}

    /// Adds one series' sMAPE and, when its scale is defined, its MASE (each series weighs the same).
    public mutating func addSeries(prediction: ArraySlice<Float>, target: ArraySlice<Float>, maseScale: Double?) {
        smapeSum += ForecastMetrics.smape(prediction: prediction, target: target); smapeSeries += 1
        if let maseScale {
            maseSum += ForecastMetrics.mase(prediction: prediction, target: target, scale: maseScale); maseSeries += 1
        }
    }

    /// Adds a band's coverage and quantile losses (`point` as the median), aligned with `target`.
    public mutating func addBand(point: ArraySlice<Float>, lower: ArraySlice<Float>, upper: ArraySlice<Float>,
                                 target: ArraySlice<Float>) {
        for ((p, (lo, hi)), t) in zip(zip(point, zip(lower, upper)), target) {
            if lo <= t && t <= hi { covered += 1 }
            bandPoints += 1
            for (index, level) in ForecastMetrics.quantiles.enumerated() {
                let quantile = level < 0.5 ? lo : level > 0.5 ? hi : p
                quantileLosses[index] += ForecastMetrics.pinball(quantile, t, level: level)
            }
            absoluteTargets += abs(Double(t))
        }
    }

    /// Mean sMAPE (percent) over the series added, nil when none was.
    public var smape: Double? { smapeSeries > 0 ? smapeSum / Double(smapeSeries) : nil }
    /// Mean MASE over the series with a defined scale, nil when none had one.
    public var mase: Double? { maseSeries > 0 ? maseSum / Double(maseSeries) : nil }
    /// Fraction of targets inside [10%, 90%] (ideal 0.8), nil without a band.
    public var coverage: Double? { bandPoints > 0 ? Double(covered) / Double(bandPoints) : nil }
    /// Weighted quantile loss: the mean over the levels 0.1, 0.5, 0.9 of
    /// `2 Σ pinball / Σ |y|` (GluonTS `mean_wQuantileLoss`), nil without a band.
    public var weightedQuantileLoss: Double? {
        guard bandPoints > 0, absoluteTargets > 0 else { return nil }
        return quantileLosses.map { 2 * $0 / absoluteTargets }.reduce(0, +) / Double(quantileLosses.count)
    }

    /// The score for `horizon` over `windows` windows.
    public func score(horizon: Int, windows: Int) -> HorizonScore {
        HorizonScore(horizon: horizon, windows: windows, mse: errors.mse, mae: errors.mae, smape: smape, mase: mase,
                     coverage: coverage, wql: weightedQuantileLoss)
    }
}

/// The competition protocol's defaults.
public enum CompetitionProtocol {
    /// The M4 horizon for data of this frequency: 6 yearly, 8 quarterly, 18 monthly (and other
    /// monthly steps), 13 weekly, 14 daily, 48 hourly and finer; nil for points without timestamps.
    public static func defaultHorizon(for frequency: Frequency) -> Int? {
        switch frequency {
        case .years: return 6
        case .months(let n): return n == 3 ? 8 : 18
        case .weeks: return 13
        case .days: return 14
        case .hours, .minutes: return 48
        case .steps: return nil
        }
    }

    /// The period m of MASE's seasonal-naive scale, as in M4: 1 yearly, 4 quarterly, 12
    /// monthly, 1 weekly and daily, 24 hourly (points per day for finer data), 1 without timestamps.
    public static func masePeriod(for frequency: Frequency) -> Int {
        switch frequency {
        case .years, .weeks, .days, .steps: return 1
        case .months(let n): return max(1, 12 / n)
        case .hours, .minutes: return frequency.seasonalPeriod
        }
    }
}
