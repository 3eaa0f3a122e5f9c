import ForecastCommands
import Forecasting
import Foundation
import Testing

@Suite struct CompetitionProtocolTests {
    /// Terms |p - t| / (|p| + |t|): 1/3, 0, and 0 for p = t = 0; sMAPE = 200 / 3 * 1/3.
    @Test func smapeFollowsTheM4Definition() {
        let smape = ForecastMetrics.smape(prediction: [1, 2, 0], target: [2, 2, 0])
        #expect(abs(smape - 200.0 / 9) < 1e-9)
        #expect(ForecastMetrics.smape(prediction: [-1], target: [1]) == 200)
    }

    /// History 1, 3, 2, 6: lag-1 differences 2, 1, 4 (scale 7/3), lag-2 differences 1, 3
    /// (scale 2); a history no longer than the period falls back to lag 1, as in M4.
    @Test func maseScalesByTheInSampleSeasonalNaiveError() throws {
        let history: ArraySlice<Float> = [1, 3, 2, 6]
        let lag1 = try #require(ForecastMetrics.maseScale(history: history, period: 1))
        #expect(abs(lag1 - 7.0 / 3) < 1e-12)
        #expect(ForecastMetrics.maseScale(history: history, period: 2) == 2)
        #expect(ForecastMetrics.maseScale(history: history, period: 4) == lag1)
        #expect(ForecastMetrics.maseScale(history: [5, 5, 5], period: 1) == nil)
        // Forecast 5, 5 for 6, 8: MAE 2.
        #expect(abs(ForecastMetrics.mase(prediction: [5, 5], target: [6, 8], scale: lag1) - 6.0 / 7) < 1e-12)
        #expect(ForecastMetrics.mase(prediction: [5, 5], target: [6, 8], scale: 2) == 1)
    }

    /// Point 1, band [0, 2], outcome 3: not covered; pinball losses 0.1*3, 0.5*2, 0.9*1, each
    /// doubled and divided by |y| = 3, averaged: (0.2 + 2/3 + 0.6) / 3.
    @Test func bandCoverageAndWeightedQuantileLoss() throws {
        var accumulator = ScoreAccumulator()
        accumulator.addBand(point: [1], lower: [0], upper: [2], target: [3])
        #expect(accumulator.coverage == 0)
        let wql = try #require(accumulator.weightedQuantileLoss)
        let expected: Double = (0.2 + 2.0 / 3 + 0.6) / 3
        #expect(abs(wql - expected) < 1e-12)
        accumulator.addBand(point: [1], lower: [0], upper: [2], target: [1])
        #expect(accumulator.coverage == 0.5)
        #expect(ScoreAccumulator().coverage == nil && ScoreAccumulator().smape == nil)
    }

    /// Series 0, 1, ..., 19 and H = 4: the method sees rows 0..<16 and the last four are scored.
    /// Repeat-last forecasts 15: errors 1, 2, 3, 4 over a lag-1 scale of 1, so MASE 2.5.
    @Test func competitionHoldsOutExactlyTheLastHPoints() throws {
        let series = (0..<20).map(Float.init)
        var seen: [Int] = []
        let scores = try CompetitionEvaluation.score(values: [series, series.map { $0 * 2 }], horizons: [4, 6], masePeriod: 1) { histories, horizon in
            seen.append(histories[0].count)
            #expect(histories[0].last == Float(19 - horizon))
            return histories.map { IntervalForecast(point: NaiveForecast.repeatLast($0, horizon: horizon)) }
        }
        #expect(seen == [16, 14])
        #expect(scores.map(\.windows) == [2, 2])
        let mase = try #require(scores[0].mase)
        #expect(abs(mase - 2.5) < 1e-12)
        let terms: [Double] = [16, 17, 18, 19].map { (t: Double) -> Double in 200 * (t - 15) / (t + 15) }
        let expected: Double = terms.reduce(0, +) / 4
        let smape = try #require(scores[0].smape)
        #expect(abs(smape - expected) < 1e-9)
        #expect(scores[0].coverage == nil)
        #expect(throws: ForecastError.self) { try CompetitionEvaluation.heldOut(length: 5, horizon: 4) }
    }

    @Test func evaluateUsesTheProtocolAndTheFrequencyDefaults() throws {
        let months = 60
        let values: [Float] = (0..<months).map { (m: Int) -> Float in Float(100 + m) + 10 * Float(sin(Double(m) * 2 * Double.pi / 12)) }
        let table = TimeSeriesTable(timestamps: nil, columnNames: ["y"], values: [values], frequency: .months(1))
        let horizons = try #require(EvaluationProtocol.competition.defaultHorizons(for: .months(1)))
        #expect(horizons == [18])
        #expect(EvaluationProtocol.ett.defaultHorizons(for: .weeks(1)) == [24, 36, 48, 60])
        #expect(CompetitionProtocol.masePeriod(for: .months(1)) == 12 && CompetitionProtocol.masePeriod(for: .months(3)) == 4)
        let report = try Forecaster.evaluate(table, file: "m.csv", split: .ratio, lookback: 24, horizons: horizons,
                                             forecaster: nil, baselines: true, protocol: .competition)
        #expect(report.`protocol` == EvaluationProtocol.competition)
        // A trend plus a 12-month season: seasonal naive is off by the trend, 12 per year, in
        // sample and over the first 12 months held out, 24 over the last 6: MASE 16 / 12. The
        // linear map fits the series exactly.
        let seasonal = try #require(report.scores["seasonal-naive"]?.first?.mase)
        #expect(abs(seasonal - 16.0 / 12) < 1e-4)
        let linear = try #require(report.scores["linear"]?.first?.smape)
        #expect(linear < 0.1)
        #expect(report.averages["linear"]?["smape"] != nil && report.averages["linear"]?["coverage"] == nil)
    }

    @Test func ettProtocolScoresOnlyTheGivenWindowStarts() throws {
        let table = ForecastFixtures.seasonalTable(rows: 400)
        let split = try DataSplit.make(.ratio, length: 400)
        let starts = [split.test.lowerBound, split.test.lowerBound + 10, split.test.upperBound - 24]
        let report = try Forecaster.evaluate(table, file: "t.csv", split: .ratio, lookback: 48, horizons: [12, 24],
                                             forecaster: nil, baselines: true, windowStarts: starts)
        for scores in report.scores.values { #expect(scores.map(\.windows) == [3, 3]) }
        #expect(throws: ForecastError.self) {
            try Forecaster.evaluate(table, file: "t.csv", split: .ratio, lookback: 48, horizons: [24], forecaster: nil,
                                    baselines: true, windowStarts: [split.test.upperBound - 23])
        }
    }

    @Test func ettProtocolScoresTheModelsBandWhenAsked() throws {
        let table = ForecastFixtures.seasonalTable(rows: 400)
        let forecaster = try Forecaster(configuration: ForecastFixtures.tinyConfiguration(), seed: 1)
        let starts = [340, 360, 376]
        let plain = try Forecaster.evaluate(table, file: "t.csv", split: .ratio, lookback: 16, horizons: [8, 24],
                                            forecaster: forecaster, baselines: false, windowStarts: starts)
        let banded = try Forecaster.evaluate(table, file: "t.csv", split: .ratio, lookback: 16, horizons: [8, 24],
                                             forecaster: forecaster, baselines: false, windowStarts: starts, band: true)
        #expect(plain.scores["autotimes"]!.allSatisfy { $0.coverage == nil && $0.wql == nil })
        for (with, without) in zip(banded.scores["autotimes"]!, plain.scores["autotimes"]!) {
            #expect(with.mse == without.mse)
            let coverage = try #require(with.coverage)
            #expect((0...1).contains(coverage))
            #expect(try #require(with.wql) > 0)
        }
    }

    @Test func evalCommandRunsTheCompetitionProtocol() throws {
        let directory = ForecastFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rows: [String] = (0..<48).map { (m: Int) -> String in
            let month = m % 12 + 1
            return "\(2000 + m / 12)-\(month < 10 ? "0" : "")\(month)-01,\(100 + m + (m % 12) * 3)"
        }
        let url = directory.appendingPathComponent("monthly.csv")
        try ("month,y\n" + rows.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        try EvaluateCommand.parse(["--data", url.path, "--baselines", "--protocol", "competition", "--lookback", "12", "--quiet"]).run()
        #expect(throws: (any Error).self) { try EvaluateCommand.parse(["--data", url.path, "--baselines", "--protocol", "m4"]) }
    }
}
