import Tensors

extension Forecaster {
    /// Runs the standard protocol (see ``ForecastEvaluation``) on `table` for this
    /// forecaster, rolled once to the longest horizon, and optionally for the baselines; or,
    /// with `protocol: .competition`, the competition protocol (``CompetitionEvaluation``).
    ///
    /// - Parameters:
    ///   - table: the whole file; the split, the scaler fit and the test windows come from it.
    ///   - file: the name recorded in the report.
    ///   - kind: the split rule choosing the training (scaler, linear fit) and test rows.
    ///   - horizons: forecast lengths to score (each >= 1).
    ///   - forecaster: the model to score; nil scores only the baselines.
    ///   - lookback: points of history per window (the model reads at most its context).
    ///   - baselines: also score repeat-last, seasonal naive and the closed-form linear map,
    ///     each with the same windows and the same lookback.
    ///   - protocol: `.ett` (stride-1 test windows, MSE/MAE) or `.competition` (the last H
    ///     points held out, sMAPE/MASE; `kind` is then only recorded).
    ///   - windowStarts: in the ETT protocol, score only these window starts (each valid for
    ///     the longest horizon) instead of every stride-1 window.
    ///   - band: in the ETT protocol, also score the model's backtest band (the one
    ///     `forecast predict` draws, from the rows before each window; about nine forecasts per
    ///     window instead of one), drawn once for the longest horizon like the rolled point
    ///     forecast. The competition protocol always scores it.
    ///   - progress: receives one line per finished method.
    /// - Returns: scores keyed by method name (`autotimes`/`time-llm` and the baselines' raw values).
    /// - Throws: ``ForecastError`` for bad arguments, a file too short for its split, or a
    ///   test part with no window.
    public static func evaluate(_ table: TimeSeriesTable, file: String, split kind: DataSplit.Kind, lookback: Int,
                                horizons: [Int], forecaster: Forecaster?, baselines: Bool,
                                protocol: EvaluationProtocol = .ett, windowStarts: [Int]? = nil, band: Bool = false,
                                progress: ((String) -> Void)? = nil) throws -> EvaluationReport {
        guard lookback >= 1 else { throw ForecastError.invalidArgument(name: "lookback", detail: "must be >= 1, got \(lookback)") }
        guard !horizons.isEmpty, horizons.allSatisfy({ $0 >= 1 }) else {
            throw ForecastError.invalidArgument(name: "horizons", detail: "need one or more positive horizons")
        }
        guard forecaster != nil || baselines else {
            throw ForecastError.invalidArgument(name: "model", detail: "nothing to evaluate: give a model or --baselines")
        }
        if `protocol` == .competition {
            return try evaluateCompetition(table, file: file, split: kind, lookback: lookback, horizons: horizons,
                                           forecaster: forecaster, baselines: baselines, progress: progress)
        }
        let split = try DataSplit.make(kind, length: table.length)
        let scaled = StandardScaler(fitting: table.values, rows: split.train).transform(table.values)
        if let windowStarts, let longest = horizons.max() {
            let (first, last) = (max(split.test.lowerBound, lookback), split.test.upperBound - longest)
            guard !windowStarts.isEmpty, windowStarts.allSatisfy({ first <= $0 && $0 <= last }) else {
                throw ForecastError.invalidArgument(name: "windowStarts", detail: "each start must lie in \(first)...\(last) (lookback \(lookback), horizon \(longest))")
            }
        }
        var report = EvaluationReport(file: file, split: kind, windowStarts: windowStarts, lookback: lookback,
                                      channels: scaled.count, scores: [:])
        let startTime = table.timestamps?.first
        if let forecaster {
            let network = forecaster.network
            guard lookback >= network.minimumHistory else {
                throw ForecastError.invalidArgument(name: "lookback", detail: "\(lookback) is shorter than the model's minimum history (\(network.minimumHistory))")
            }
            let name = forecaster.configuration.method.rawValue
            var generator = SeededGenerator(seed: 0)
            report.scores[name] = try ForecastEvaluation.scoreWithBands(
                values: scaled, test: split.test, lookback: lookback, horizons: horizons, starts: windowStarts, rolledOnce: true,
                batchWindows: band ? 512 : 4096
            ) { windows, channels, horizon in
                let inputs = windows.map { window -> ForecastInput in
                    // Calendar features need the first timestamp of the window itself.
                    ForecastInput(history: Array(window), startTime: startTime.map { table.frequency.advance($0, by: window.startIndex) })
                }
                let points = try network.rollingForecast(inputs, horizon: horizon, frequency: table.frequency, noiseScale: 0,
                                                         generator: &generator, batchSize: 256, prepack: false)
                guard band else { return points.map { IntervalForecast(point: $0) } }
                // The band of each window start comes from the series' rows before it, as
                // `forecast predict` would draw it there (backtests pooled over the channels at
                // that start only), reaching back as far as eight cuts need.
                let reach = network.lookbackLength + horizon + 8 * max(network.stepLength, horizon / 2)
                var result = points.map { IntervalForecast(point: $0) }
                for group in Dictionary(grouping: windows.indices, by: { windows[$0].endIndex }).values {
                    let histories = group.map { i -> ForecastInput in
                        let first = max(0, windows[i].endIndex - reach)
                        return ForecastInput(history: Array(scaled[channels[i]][first..<windows[i].endIndex]),
                                             startTime: startTime.map { table.frequency.advance($0, by: first) })
                    }
                    guard let widths = try forecaster.backtestHalfWidths(histories, horizon: horizon, frequency: table.frequency) else { continue }
                    for (i, width) in zip(group, widths) {
                        result[i].lower = zip(points[i], width).map { $0 - $1 }
                        result[i].upper = zip(points[i], width).map { $0 + $1 }
                    }
                }
                return result
            }
            progress?("\(name): " + summary(report.scores[name]!))
        }
        if baselines {
            report.scores[Baseline.repeatLast.rawValue] = try ForecastEvaluation.score(
                values: scaled, test: split.test, lookback: lookback, horizons: horizons, starts: windowStarts, rolledOnce: true
            ) { windows, _, horizon in windows.map { NaiveForecast.repeatLast($0, horizon: horizon) } }
            let period = table.frequency.seasonalPeriod
            report.scores[Baseline.seasonalNaive.rawValue] = try ForecastEvaluation.score(
                values: scaled, test: split.test, lookback: lookback, horizons: horizons, starts: windowStarts, rolledOnce: true
            ) { windows, _, horizon in windows.map { NaiveForecast.seasonal(Array($0), period: period, horizon: horizon) } }
            var maps: [Int: LinearMapForecast] = [:]
            for horizon in horizons {
                maps[horizon] = try LinearMapForecast(fitting: scaled, rows: split.train, lookback: lookback, horizon: horizon)
            }
            report.scores[Baseline.linear.rawValue] = try ForecastEvaluation.score(
                values: scaled, test: split.test, lookback: lookback, horizons: horizons, starts: windowStarts
            ) { windows, _, horizon in try maps[horizon]!.predict(windows) }
            for baseline in Baseline.allCases { progress?("\(baseline.rawValue): " + summary(report.scores[baseline.rawValue]!)) }
        }
        return report
    }

    static func summary(_ scores: [HorizonScore]) -> String {
        scores.map { "H=\($0.horizon) mse \(format($0.mse)) mae \(format($0.mae))" + ($0.coverage.map { " coverage \(format($0))" } ?? "") }
            .joined(separator: ", ")
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return "\(rounded)"
    }
}
