// The long-horizon evaluation protocol of Time-Series-Library, AutoTimes and Time-LLM: a
// StandardScaler fit on the training rows, stride-1 windows over the test rows, MSE and
// MAE on scaled values averaged over windows x horizon x channels.

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
}

/// Every method's scores at every horizon.
public struct EvaluationReport: Codable, Sendable {
    /// The evaluated CSV file.
    public var file: String
    /// The split rule that chose the test rows.
    public var split: DataSplit.Kind
    /// Points of history each method read.
    public var lookback: Int
    /// Series (columns) scored per window.
    public var channels: Int
    /// Method name (`autotimes`, `repeat-last`, ...) to scores per horizon.
    public var scores: [String: [HorizonScore]]
    /// Average MSE and MAE over the horizons, per method.
    public var averages: [String: [String: Double]] {
        scores.mapValues { list in
            ["mse": list.map(\.mse).reduce(0, +) / Double(max(list.count, 1)),
             "mae": list.map(\.mae).reduce(0, +) / Double(max(list.count, 1))]
        }
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

    /// Scores a method on the stride-1 test windows of scaled `values`, for each horizon.
    ///
    /// - Parameters:
    ///   - values: scaled series `[channel][row]`.
    ///   - test: target rows of the test part.
    ///   - lookback: points each window gives the method.
    ///   - horizons: forecast lengths to score.
    ///   - rolledOnce: when true, the method is called once with the longest horizon and each
    ///     shorter horizon is scored on a prefix (valid for one-for-all rolling forecasters,
    ///     whose first H points do not depend on how far they roll).
    ///   - batchWindows: about how many lookback windows (window starts x channels) go into
    ///     one `method` call.
    ///   - method: the forecaster under test, called with scaled windows.
    /// - Returns: one score per entry of `horizons`, in that order.
    /// - Throws: ``ForecastError/insufficientData(detail:)`` when no test window fits; anything
    ///   `method` throws.
    public static func score(values: [[Float]], test: Range<Int>, lookback: Int, horizons: [Int],
                             rolledOnce: Bool = false, batchWindows: Int = 4096, method: Method) throws -> [HorizonScore] {
        guard let shortest = horizons.min(), let longest = horizons.max() else { return [] }
        var accumulators = [Int: ErrorAccumulator]()
        let callHorizons = rolledOnce ? [longest] : horizons
        for callHorizon in callHorizons {
            let starts = DataSplit.windowStarts(targets: test, lookback: lookback, horizon: rolledOnce ? shortest : callHorizon)
            guard !starts.isEmpty else {
                throw ForecastError.insufficientData(detail: "no test window fits lookback \(lookback) + horizon \(callHorizon) in rows \(test)")
            }
            for chunkStart in stride(from: 0, to: starts.count, by: max(1, batchWindows / values.count)) {
                let chunk = starts[chunkStart..<min(chunkStart + max(1, batchWindows / values.count), starts.count)]
                var windows: [ArraySlice<Float>] = [], channels: [Int] = [], origins: [Int] = []
                for start in chunk {
                    for (c, series) in values.enumerated() {
                        windows.append(series[(start - lookback)..<start]); channels.append(c); origins.append(start)
                    }
                }
                let forecasts = try method(windows, channels, callHorizon)
                for (index, forecast) in forecasts.enumerated() {
                    let start = origins[index], series = values[channels[index]]
                    for horizon in (rolledOnce ? horizons : [callHorizon]) where start + horizon <= test.upperBound {
                        accumulators[horizon, default: ErrorAccumulator()].add(
                            prediction: forecast[0..<horizon], target: series[start..<(start + horizon)])
                    }
                }
            }
        }
        return horizons.map { h in
            let a = accumulators[h] ?? ErrorAccumulator()
            return HorizonScore(horizon: h, windows: a.count / max(1, h * values.count), mse: a.mse, mae: a.mae)
        }
    }
}
