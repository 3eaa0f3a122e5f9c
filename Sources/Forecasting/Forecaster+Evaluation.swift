import Tensors

extension Forecaster {
    /// Runs the standard protocol (see ``ForecastEvaluation``) on `table` for this
    /// forecaster, rolled once to the longest horizon, and optionally for the baselines.
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
    ///   - progress: receives one line per finished method.
    /// - Returns: scores keyed by method name (`autotimes`/`time-llm` and the baselines' raw values).
    /// - Throws: ``ForecastError`` for bad arguments, a file too short for its split, or a
    ///   test part with no window.
    public static func evaluate(_ table: TimeSeriesTable, file: String, split kind: DataSplit.Kind, lookback: Int,
                                horizons: [Int], forecaster: Forecaster?, baselines: Bool,
                                progress: ((String) -> Void)? = nil) throws -> EvaluationReport {
        guard lookback >= 1 else { throw ForecastError.invalidArgument(name: "lookback", detail: "must be >= 1, got \(lookback)") }
        guard !horizons.isEmpty, horizons.allSatisfy({ $0 >= 1 }) else {
            throw ForecastError.invalidArgument(name: "horizons", detail: "need one or more positive horizons")
        }
        guard forecaster != nil || baselines else {
            throw ForecastError.invalidArgument(name: "model", detail: "nothing to evaluate: give a model or --baselines")
        }
        let split = try DataSplit.make(kind, length: table.length)
        let scaled = StandardScaler(fitting: table.values, rows: split.train).transform(table.values)
        var report = EvaluationReport(file: file, split: kind, lookback: lookback, channels: scaled.count, scores: [:])
        let startTime = table.timestamps?.first
        if let forecaster {
            let network = forecaster.network
            guard lookback >= network.minimumHistory else {
                throw ForecastError.invalidArgument(name: "lookback", detail: "\(lookback) is shorter than the model's minimum history (\(network.minimumHistory))")
            }
            let name = forecaster.configuration.method.rawValue
            var generator = SeededGenerator(seed: 0)
            report.scores[name] = try ForecastEvaluation.score(
                values: scaled, test: split.test, lookback: lookback, horizons: horizons, rolledOnce: true
            ) { windows, _, horizon in
                let inputs = windows.map { window -> ForecastInput in
                    // Calendar features need the first timestamp of the window itself.
                    ForecastInput(history: Array(window), startTime: startTime.map { table.frequency.advance($0, by: window.startIndex) })
                }
                return try network.rollingForecast(inputs, horizon: horizon, frequency: table.frequency, noiseScale: 0,
                                                   generator: &generator, batchSize: 256, prepack: false)
            }
            progress?("\(name): " + summary(report.scores[name]!))
        }
        if baselines {
            report.scores[Baseline.repeatLast.rawValue] = try ForecastEvaluation.score(
                values: scaled, test: split.test, lookback: lookback, horizons: horizons, rolledOnce: true
            ) { windows, _, horizon in windows.map { NaiveForecast.repeatLast($0, horizon: horizon) } }
            let period = table.frequency.seasonalPeriod
            report.scores[Baseline.seasonalNaive.rawValue] = try ForecastEvaluation.score(
                values: scaled, test: split.test, lookback: lookback, horizons: horizons, rolledOnce: true
            ) { windows, _, horizon in windows.map { NaiveForecast.seasonal(Array($0), period: period, horizon: horizon) } }
            var maps: [Int: LinearMapForecast] = [:]
            for horizon in horizons {
                maps[horizon] = try LinearMapForecast(fitting: scaled, rows: split.train, lookback: lookback, horizon: horizon)
            }
            report.scores[Baseline.linear.rawValue] = try ForecastEvaluation.score(
                values: scaled, test: split.test, lookback: lookback, horizons: horizons
            ) { windows, _, horizon in try maps[horizon]!.predict(windows) }
            for baseline in Baseline.allCases { progress?("\(baseline.rawValue): " + summary(report.scores[baseline.rawValue]!)) }
        }
        return report
    }

    static func summary(_ scores: [HorizonScore]) -> String {
        scores.map { "H=\($0.horizon) mse \(format($0.mse)) mae \(format($0.mae))" }.joined(separator: ", ")
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return "\(rounded)"
    }
}
