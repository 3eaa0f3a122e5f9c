// The M3/M4 competition protocol: for each horizon H the last H points of every series are
// held out, each method forecasts them from everything before, and the forecasts are scored by
// sMAPE and MASE on the original values (``ForecastMetrics``), by MSE/MAE on values scaled by a
// StandardScaler fit on the history (comparable across series and with the ETT protocol), and,
// for methods with a band, by its coverage and weighted quantile loss on the original values.

import Tensors

/// Runs the competition protocol for a forecaster given as a closure.
public enum CompetitionEvaluation {
    /// A forecaster: each series' history (original values) to a forecast of `horizon` points.
    public typealias Method = (_ histories: [ArraySlice<Float>], _ horizon: Int) throws -> [IntervalForecast]

    /// The rows before the held-out part (`history`) and the held-out part (`target`) of a
    /// series of `length` points.
    ///
    /// - Throws: ``ForecastError/insufficientData(detail:)`` when fewer than two points remain
    ///   before the held-out ones.
    public static func heldOut(length: Int, horizon: Int) throws -> (history: Range<Int>, target: Range<Int>) {
        guard horizon >= 1, length - horizon >= 2 else {
            throw ForecastError.insufficientData(detail: "holding out the last \(horizon) points needs at least \(horizon + 2) points, the series has \(length)")
        }
        return (0..<(length - horizon), (length - horizon)..<length)
    }

    /// Scores `method` at each horizon on the held-out last points of `values`.
    ///
    /// - Parameters:
    ///   - values: the series `[channel][row]` in original units.
    ///   - horizons: forecast lengths; each holds out its own last H points.
    ///   - masePeriod: the seasonal period m of MASE's scale (``CompetitionProtocol/masePeriod(for:)``).
    ///   - method: the forecaster under test.
    /// - Returns: one score per horizon (`windows` = series scored).
    /// - Throws: ``ForecastError`` when a series is too short or the method returns the wrong
    ///   number or length of forecasts; anything `method` throws.
    public static func score(values: [[Float]], horizons: [Int], masePeriod: Int, method: Method) throws -> [HorizonScore] {
        let length = values.first?.count ?? 0
        return try horizons.map { horizon in
            let (history, target) = try heldOut(length: length, horizon: horizon)
            let scaler = StandardScaler(fitting: values, rows: history)
            let forecasts = try method(values.map { $0[history] }, horizon)
            guard forecasts.count == values.count, forecasts.allSatisfy({ $0.point.count >= horizon }) else {
                throw ForecastError.invalidArgument(name: "method", detail: "returned \(forecasts.count) forecasts for \(values.count) series at H=\(horizon)")
            }
            var accumulator = ScoreAccumulator()
            for (c, forecast) in forecasts.enumerated() {
                let actual = values[c][target], point = forecast.point.prefix(horizon)
                let (mean, deviation) = (scaler.means[c], scaler.deviations[c])
                accumulator.errors.add(prediction: ArraySlice(point.map { ($0 - mean) / deviation }),
                                       target: ArraySlice(actual.map { ($0 - mean) / deviation }))
                accumulator.addSeries(prediction: point, target: actual,
                                      maseScale: ForecastMetrics.maseScale(history: values[c][history], period: masePeriod))
                if let lower = forecast.lower, let upper = forecast.upper {
                    accumulator.addBand(point: point, lower: lower.prefix(horizon), upper: upper.prefix(horizon), target: actual)
                }
            }
            return accumulator.score(horizon: horizon, windows: values.count)
        }
    }

    /// The lookback of the competition protocol's linear baseline: `lookback`, shortened to half
    /// of what the history leaves after one horizon so that it fits more windows than it has weights.
    public static func linearLookback(_ lookback: Int, history: Int, horizon: Int) -> Int {
        max(1, min(lookback, (history - horizon) / 2))
    }
}

extension Forecaster {
    /// The competition protocol (``CompetitionEvaluation``) on `table`: this forecaster exactly
    /// as `forecast predict` runs it on the rows before the held-out part (with its backtest
    /// band), and optionally the baselines, which read the last `lookback` points.
    ///
    /// Repeat-last and seasonal naive need only the history's end; the linear map is fit on the
    /// history's windows (scaled by the history's StandardScaler), with its lookback shortened
    /// when the history is short (``CompetitionEvaluation/linearLookback(_:history:horizon:)``).
    static func evaluateCompetition(_ table: TimeSeriesTable, file: String, split kind: DataSplit.Kind, lookback: Int,
                                    horizons: [Int], forecaster: Forecaster?, baselines: Bool,
                                    progress: ((String) -> Void)?) throws -> EvaluationReport {
        var report = EvaluationReport(file: file, split: kind, protocol: .competition, lookback: lookback,
                                      channels: table.values.count, scores: [:])
        let period = CompetitionProtocol.masePeriod(for: table.frequency)
        func run(_ name: String, _ method: CompetitionEvaluation.Method) throws {
            report.scores[name] = try CompetitionEvaluation.score(values: table.values, horizons: horizons, masePeriod: period, method: method)
            progress?("\(name): " + competitionSummary(report.scores[name]!))
        }
        if let forecaster {
            try run(forecaster.configuration.method.rawValue) { histories, horizon in
                let result = try forecaster.predict(table.rows(0..<histories[0].count), horizon: horizon, band: .backtest)
                return result.point.indices.map { IntervalForecast(point: result.point[$0], lower: result.lower[$0], upper: result.upper[$0]) }
            }
        }
        guard baselines else { return report }
        try run(Baseline.repeatLast.rawValue) { histories, horizon in
            histories.map { IntervalForecast(point: NaiveForecast.repeatLast($0, horizon: horizon)) }
        }
        try run(Baseline.seasonalNaive.rawValue) { histories, horizon in
            histories.map { IntervalForecast(point: NaiveForecast.seasonal(Array($0.suffix(lookback)), period: table.frequency.seasonalPeriod, horizon: horizon)) }
        }
        try run(Baseline.linear.rawValue) { histories, horizon in
            let rows = 0..<histories[0].count
            let scaler = StandardScaler(fitting: histories.map(Array.init), rows: rows)
            let scaled = scaler.transform(histories.map(Array.init))
            let window = CompetitionEvaluation.linearLookback(lookback, history: rows.count, horizon: horizon)
            let map = try LinearMapForecast(fitting: scaled, rows: rows, lookback: window, horizon: horizon)
            let forecasts = try map.predict(scaled.map { $0[(rows.count - window)...] })
            return scaler.inverse(forecasts).map { IntervalForecast(point: $0) }
        }
        return report
    }

    static func competitionSummary(_ scores: [HorizonScore]) -> String {
        scores.map { score in
            var text = "H=\(score.horizon) smape \(format(score.smape ?? .nan)) mase \(format(score.mase ?? .nan))"
            if let coverage = score.coverage { text += " coverage \(format(coverage))" }
            return text
        }.joined(separator: ", ")
    }
}
