// The band of `forecast predict --band backtest`: split-conformal intervals per lead time.
// The model forecasts from several earlier cut points of each series' own history ("rolled
// backtests"); the spread of those errors at lead h, in units of the spread of the window the
// model read at each cut, gives the half-width at lead h. Unlike the ensemble band, whose noise stands for one-step
// errors only, this band grows with the horizon as much as the model's errors really do.

import Foundation
import Tensors

/// How `forecast predict` draws its band.
public enum ForecastBand: String, Sendable, CaseIterable {
    /// Quantiles of |error| per lead time, from rolled backtests on each series' history.
    case backtest
    /// Quantiles over rolls that feed noise of the one-step error's size back into the model.
    case ensemble
    /// No band (lower = upper = point).
    case none
}

extension Forecaster {
    /// Cut points of a history of `count` points for backtests of `horizon` steps: the
    /// latest first, `stride` apart, each leaving the model at least `minimumWindow` points.
    static func backtestOrigins(count: Int, horizon: Int, stride: Int, maximum: Int, minimumWindow: Int) -> [Int] {
        var origins: [Int] = []
        var origin = count - horizon
        // A history too short for the whole horizon is backtested over what it has.
        if origin < minimumWindow { origin = minimumWindow }
        while origins.count < maximum, origin >= minimumWindow, origin < count {
            origins.append(origin)
            origin -= stride
        }
        return origins
    }

    /// Half-widths `[series][h]` (data units) of a central band of nominal `coverage`, from
    /// rolled backtests: up to `origins` cuts per series, `stride` apart (default half the
    /// horizon, at least one model step).
    ///
    /// At lead h the half-width is the `coverage` quantile of the scaled absolute errors of
    /// every series and cut at leads near h (a window that widens with h), made
    /// non-decreasing in h, times the series' own error level relative to the others and the
    /// spread of its last window (the unit the model itself normalises by, and the unit of the
    /// backtest errors: on ETTh1 it gives 0.79-0.81 coverage where the RMS one-step change,
    /// tried as the unit, gave 0.74-0.76). Leads no backtest reaches (a history shorter than lookback
    /// plus horizon) grow from the last measured lead as the square root of the lead, like a
    /// random walk's. Returns nil when no series is long enough for one cut.
    public func backtestHalfWidths(_ inputs: [ForecastInput], horizon: Int, frequency: Frequency,
                                   coverage: Float = 0.8, origins: Int = 8, stride: Int? = nil,
                                   prepack: Bool = false) throws -> [[Float]]? {
        let step = network.stepLength
        let stride = stride ?? max(step, horizon / 2)
        // Each cut's window: the model's lookback when the history allows, else half of it.
        var cuts: [(series: Int, origin: Int, lead: Int)] = []
        var backtestInputs: [ForecastInput] = []
        for (c, input) in inputs.enumerated() {
            let n = input.history.count
            let window = max(network.minimumHistory, min(network.lookbackLength, n / 2))
            for origin in Self.backtestOrigins(count: n, horizon: horizon, stride: stride, maximum: origins, minimumWindow: window) {
                cuts.append((c, origin, min(horizon, n - origin)))
                backtestInputs.append(ForecastInput(history: Array(input.history[..<origin]), startTime: input.startTime))
            }
        }
        guard !cuts.isEmpty else { return nil }
        let measured = cuts.map(\.lead).max()!
        var generator = SeededGenerator(seed: 0)
        let forecasts = try network.rollingForecast(backtestInputs, horizon: measured, frequency: frequency, noiseScale: 0,
                                                    generator: &generator, batchSize: 256, prepack: prepack)
        // Scaled absolute errors per lead, and each series' sum of squares for its error level.
        var scores = [[Float]](repeating: [], count: measured)
        var seriesSquares = [Double](repeating: 0, count: inputs.count), seriesCounts = [Int](repeating: 0, count: inputs.count)
        for (cut, forecast) in zip(cuts, forecasts) {
            let history = inputs[cut.series].history
            let unit = InstanceNormalization(window: history[..<cut.origin].suffix(network.lookbackLength)).deviation
            for h in 0..<cut.lead {
                let score = abs(forecast[h] - history[cut.origin + h]) / unit
                scores[h].append(score)
                seriesSquares[cut.series] += Double(score * score)
                seriesCounts[cut.series] += 1
            }
        }
        // Quantile per lead over a window of neighbouring leads, then non-decreasing.
        var level = [Float](repeating: 0, count: measured)
        for h in 0..<measured {
            let reach = step / 2 + h / 10
            var pooled: [Float] = []
            for lead in max(0, h - reach)...min(measured - 1, h + reach) { pooled += scores[lead] }
            pooled.sort()
            level[h] = pooled.isEmpty ? 0 : pooled[min(pooled.count - 1, Int((coverage * Float(pooled.count)).rounded(.up)) - 1)]
            if h > 0 { level[h] = max(level[h], level[h - 1]) }
        }
        let pooledRMS = (seriesSquares.reduce(0, +) / Double(max(seriesCounts.reduce(0, +), 1))).squareRoot()
        return inputs.enumerated().map { c, input in
            // A series whose errors run above (below) the others' gets a wider (narrower) band:
            // the ratio of its RMS error to the pool's. On ETTh1 this evens the columns' coverage
            // (0.45-0.91 without it, 0.74-0.88 with it); where the series are alike, as in
            // random walks of one law, it is noise and costs about 0.1 of coverage.
            let relative = seriesCounts[c] > 0 && pooledRMS > 0
                ? Float((seriesSquares[c] / Double(seriesCounts[c])).squareRoot() / pooledRMS) : 1
            let unit = InstanceNormalization(window: input.history.suffix(network.lookbackLength)).deviation * min(max(relative, 0.25), 4)
            return (0..<horizon).map { h in
                h < measured ? level[h] * unit : level[measured - 1] * unit * (Float(h + 1) / Float(measured)).squareRoot()
            }
        }
    }
}
