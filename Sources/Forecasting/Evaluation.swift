// The long-horizon evaluation protocol of Time-Series-Library, AutoTimes and Time-LLM: a
// StandardScaler fit on the training rows, stride-1 windows over the test rows, MSE and
// MAE on scaled values averaged over windows x horizon x channels.
// A band, when the method gives one, adds its coverage and weighted quantile loss
// (``ScoreAccumulator``) on the same scaled values.

/// Errors of one forecaster at one horizon.
public struct HorizonScore: Codable, Sendable, Equatable {
    /// Forecast length H in points.
    public var horizon: Int
    /// Test windows scored (stride 1; each covers every channel).
    public var windows: Int
    /// Mean squared error on scaled values over windows x horizon x channels.
    public var mse: Double
    /// Mean absolute error on scaled values over windows x horizon x channels.
    public var mae: Double
    /// M4 sMAPE in percent on the original values (competition protocol only).
    public var smape: Double?
    /// MASE on the original values (competition protocol only).
    public var mase: Double?
    /// Fraction of targets inside the 10-90% band (methods that give a band).
    public var coverage: Double?
    /// Weighted quantile loss of the band's edges and the point (methods that give a band).
    public var wql: Double?

    /// A score; the metrics a protocol or method does not give stay nil.
    public init(horizon: Int, windows: Int, mse: Double, mae: Double, smape: Double? = nil, mase: Double? = nil,
                coverage: Double? = nil, wql: Double? = nil) {
        (self.horizon, self.windows, self.mse, self.mae) = (horizon, windows, mse, mae)
        (self.smape, self.mase, self.coverage, self.wql) = (smape, mase, coverage, wql)
    }
}

/// Every method's scores at every horizon.
public struct EvaluationReport: Codable, Sendable {
    /// The evaluated CSV file.
    public var file: String
    /// The split rule that chose the test rows (the scaler's training rows in the competition protocol).
    public var split: DataSplit.Kind
    /// The protocol; nil in reports written before it was recorded (the ETT protocol).
    public var `protocol`: EvaluationProtocol?
    /// Window starts of a subsample, when the ETT protocol scored fewer than all stride-1 windows.
    public var windowStarts: [Int]?
    /// Points of history each method read.
    public var lookback: Int
    /// Series (columns) scored per window.
    public var channels: Int
    /// Method name (`autotimes`, `repeat-last`, ...) to scores per horizon.
    public var scores: [String: [HorizonScore]]
    /// Average of each metric over the horizons, per method (`mse`, `mae`, and `smape`,
    /// `mase`, `coverage`, `wql` where every horizon has them).
    public var averages: [String: [String: Double]] {
        scores.mapValues { list in
            var result: [String: Double] = [:]
            let metrics: [(String, (HorizonScore) -> Double?)] = [
                ("mse", { $0.mse }), ("mae", { $0.mae }), ("smape", { $0.smape }), ("mase", { $0.mase }),
                ("coverage", { $0.coverage }), ("wql", { $0.wql })]
            for (name, value) in metrics {
                let values = list.compactMap(value)
                if !values.isEmpty && values.count == list.count { result[name] = values.reduce(0, +) / Double(values.count) }
            }
            if list.isEmpty { result = ["mse": 0, "mae": 0] }
            return result
        }
    }

    /// A report with no scores yet.
    public init(file: String, split: DataSplit.Kind, protocol: EvaluationProtocol = .ett, windowStarts: [Int]? = nil,
                lookback: Int, channels: Int, scores: [String: [HorizonScore]]) {
        (self.file, self.split, self.protocol, self.windowStarts) = (file, split, `protocol`, windowStarts)
        (self.lookback, self.channels, self.scores) = (lookback, channels, scores)
    }
}

/// Accumulates squared and absolute errors in double precision.
public struct ErrorAccumulator: Sendable {
    /// Sum of squared errors.
    public private(set) var squared = 0.0
    /// Sum of absolute errors.
    public private(set) var absolute = 0.0
    /// Number of (prediction, target) pairs added.
    public private(set) var count = 0

    /// An empty accumulator (its `mse` and `mae` are 0).
    public init() {}

    /// Adds the errors of aligned prediction and target points (the shorter length counts).
    public mutating func add(prediction: ArraySlice<Float>, target: ArraySlice<Float>) {
        for (p, t) in zip(prediction, target) {
            let d = Double(p) - Double(t)
            squared += d * d; absolute += abs(d); count += 1
        }
    }

    /// Mean squared error of everything added (0 when empty).
    public var mse: Double { squared / Double(max(count, 1)) }
    /// Mean absolute error of everything added (0 when empty).
    public var mae: Double { absolute / Double(max(count, 1)) }
}

/// Runs the protocol for a forecaster given as a closure.
public enum ForecastEvaluation {
    /// A forecaster: lookback windows (one per channel and window) to forecasts of `horizon` points.
    public typealias Method = (_ windows: [ArraySlice<Float>], _ channel: [Int], _ horizon: Int) throws -> [[Float]]

    /// A forecaster with a band: lookback windows to forecasts of `horizon` points, each with
    /// an optional 10-90% band.
    public typealias BandMethod = (_ windows: [ArraySlice<Float>], _ channel: [Int], _ horizon: Int) throws -> [IntervalForecast]

    /// Scores a method on the stride-1 test windows of scaled `values`, for each horizon.
    ///
    /// - Parameters:
    ///   - values: scaled series `[channel][row]`.
    ///   - test: target rows of the test part.
    ///   - lookback: points each window gives the method.
    ///   - horizons: forecast lengths to score.
    ///   - starts: window starts to score instead of every stride-1 window (each must leave room
    ///     for the lookback and, in `test`, for every horizon scored from it).
    ///   - rolledOnce: when true, the method is called once with the longest horizon and each
    ///     shorter horizon is scored on a prefix (valid for one-for-all rolling forecasters,
    ///     whose first H points do not depend on how far they roll).
    ///   - batchWindows: about how many lookback windows (window starts x channels) go into
    ///     one `method` call.
    ///   - method: the forecaster under test, called with scaled windows (each slice keeps its
    ///     row indices: its `endIndex` is the window's start).
    /// - Returns: one score per entry of `horizons`, in that order.
    /// - Throws: ``ForecastError/insufficientData(detail:)`` when no test window fits; anything
    ///   `method` throws.
    public static func score(values: [[Float]], test: Range<Int>, lookback: Int, horizons: [Int], starts: [Int]? = nil,
                             rolledOnce: Bool = false, batchWindows: Int = 4096, method: Method) throws -> [HorizonScore] {
        try scoreWithBands(values: values, test: test, lookback: lookback, horizons: horizons, starts: starts,
                           rolledOnce: rolledOnce, batchWindows: batchWindows) { windows, channels, horizon in
            try method(windows, channels, horizon).map { IntervalForecast(point: $0) }
        }
    }

    /// ``score(values:test:lookback:horizons:starts:rolledOnce:batchWindows:method:)`` for a
    /// method that may give a 10-90% band: its coverage and weighted quantile loss are scored too.
    public static func scoreWithBands(values: [[Float]], test: Range<Int>, lookback: Int, horizons: [Int], starts fixedStarts: [Int]? = nil,
                                      rolledOnce: Bool = false, batchWindows: Int = 4096, method: BandMethod) throws -> [HorizonScore] {
        guard let shortest = horizons.min(), let longest = horizons.max() else { return [] }
        var accumulators = [Int: ScoreAccumulator]()
        let callHorizons = rolledOnce ? [longest] : horizons
        for callHorizon in callHorizons {
            let starts = fixedStarts ?? DataSplit.windowStarts(targets: test, lookback: lookback, horizon: rolledOnce ? shortest : callHorizon)
            guard !starts.isEmpty else {
                throw ForecastError.insufficientData(detail: "no test window fits lookback \(lookback) + horizon \(callHorizon) in rows \(test)")
            }
            for chunkStart in stride(from: 0, to: starts.count, by: max(1, batchWindows / values.count)) {
                let chunk = starts[chunkStart..<min(chunkStart + max(1, batchWindows / values.count), starts.count)]
                var windows: [ArraySlice<Float>] = [], channels: [Int] = [], origins: [Int] = []
                for start in chunk {
                    // A window with a missing value (NaN, kept by `--missing keep`) is not scored.
                    for (c, series) in values.enumerated() where !series[(start - lookback)..<start].contains(where: \.isNaN) {
                        windows.append(series[(start - lookback)..<start]); channels.append(c); origins.append(start)
                    }
                }
                guard !windows.isEmpty else { continue }
                let forecasts = try method(windows, channels, callHorizon)
                for (index, forecast) in forecasts.enumerated() {
                    let start = origins[index], series = values[channels[index]]
                    for horizon in (rolledOnce ? horizons : [callHorizon]) where start + horizon <= test.upperBound {
                        let target = series[start..<(start + horizon)]
                        guard !target.contains(where: \.isNaN) else { continue }
                        accumulators[horizon, default: ScoreAccumulator()].errors.add(prediction: forecast.point[0..<horizon], target: target)
                        if let lower = forecast.lower, let upper = forecast.upper {
                            accumulators[horizon, default: ScoreAccumulator()].addBand(
                                point: forecast.point[0..<horizon], lower: lower[0..<horizon], upper: upper[0..<horizon], target: target)
                        }
                    }
                }
            }
        }
        return horizons.map { h in
            let a = accumulators[h] ?? ScoreAccumulator()
            return a.score(horizon: h, windows: a.errors.count / max(1, h * values.count))
        }
    }
}
