@testable import Forecasting
import Foundation
import Tensors
import Testing

/// The band of `forecast predict --band backtest`: per-lead quantiles of the model's own
/// errors on earlier cut points of each history.
@Suite struct BacktestBandTests {
    /// A forecaster whose AutoTimes projection is zeroed: it predicts every next segment as the
    /// window's mean (lookback 8 x 8 = 64 points).
    func meanForecaster() throws -> Forecaster {
        let forecaster = try Forecaster(configuration: ForecastFixtures.tinyConfiguration(segment: 8, context: 8), seed: 2)
        let model = try #require(forecaster.autoTimes)
        for parameter in model.segmentProjection.parameters { parameter.value = Tensor.zeros(parameter.value.shape) }
        return forecaster
    }

    func gaussian(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in
            let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator), v = Double.random(in: 0..<1, using: &generator)
            return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
        }
    }

    /// Share of the true continuations inside point +- half-width, over every series and lead.
    func coverage(_ forecaster: Forecaster, series: [[Float]], history: Int, horizon: Int) throws -> (coverage: Double, halfWidths: [[Float]]) {
        let inputs = series.map { ForecastInput(history: Array($0.prefix(history))) }
        let halfWidths = try #require(try forecaster.backtestHalfWidths(inputs, horizon: horizon, frequency: .steps))
        let points = try forecaster.network.rollingForecast(inputs, horizon: horizon, frequency: .steps)
        var inside = 0
        for (c, values) in series.enumerated() {
            for h in 0..<horizon where abs(values[history + h] - points[c][h]) <= halfWidths[c][h] { inside += 1 }
        }
        return (Double(inside) / Double(series.count * horizon), halfWidths)
    }

    @Test func originsStepBackFromTheEndAndKeepAWindow() {
        #expect(Forecaster.backtestOrigins(count: 100, horizon: 20, stride: 10, maximum: 8, minimumWindow: 30) == [80, 70, 60, 50, 40, 30])
        #expect(Forecaster.backtestOrigins(count: 100, horizon: 20, stride: 10, maximum: 3, minimumWindow: 30) == [80, 70, 60])
        // Shorter than window + horizon: one cut, backtested over what is left.
        #expect(Forecaster.backtestOrigins(count: 40, horizon: 30, stride: 15, maximum: 8, minimumWindow: 20) == [20])
        #expect(Forecaster.backtestOrigins(count: 8, horizon: 30, stride: 15, maximum: 8, minimumWindow: 8).isEmpty)
    }

    @Test func coversEightyPercentOfWhiteNoise() throws {
        // Mean forecast on i.i.d. N(0, 1): errors have the same spread at every lead, about
        // 1.03 (the 64-point mean's own error included); the 80% half-width is 1.28 x that.
        var generator = SeededGenerator(seed: 11)
        let series = (0..<40).map { _ in gaussian(800 + 24, &generator) }
        let (coverage, halfWidths) = try coverage(try meanForecaster(), series: series, history: 800, horizon: 24)
        #expect(abs(coverage - 0.8) < 0.05, "coverage \(coverage)")
        let mean = halfWidths.joined().reduce(0, +) / Float(40 * 24)
        #expect(abs(mean - 1.32) < 0.2, "mean half-width \(mean)")
    }

    @Test func widensWithTheLeadWhenTheErrorsDo() throws {
        // A random walk: the mean forecast's error grows with the lead (about as sqrt(h + 32)),
        // and so must the band; a flat band of the first lead's size would cover far less at
        // lead 96.
        var generator = SeededGenerator(seed: 12)
        let series = (0..<40).map { _ -> [Float] in
            var level: Float = 0
            return gaussian(1_200 + 96, &generator).map { level += $0; return level }
        }
        let forecaster = try meanForecaster()
        let (coverage, halfWidths) = try coverage(forecaster, series: series, history: 1_200, horizon: 96)
        // About 0.70: each walk's own error level is estimated from a few overlapping cuts,
        // which is noise when every walk follows the same law (see backtestHalfWidths).
        #expect(coverage > 0.65 && coverage < 0.9, "coverage \(coverage)")
        // At the far leads a band of the first lead's width would cover far less.
        let inputs = series.map { ForecastInput(history: Array($0.prefix(1_200))) }
        let points = try forecaster.network.rollingForecast(inputs, horizon: 96, frequency: .steps)
        var far = 0, flat = 0
        for c in series.indices {
            for h in 80..<96 {
                let error = abs(series[c][1_200 + h] - points[c][h])
                if error <= halfWidths[c][h] { far += 1 }
                if error <= halfWidths[c][0] { flat += 1 }
            }
        }
        #expect(far > 40 * 16 * 6 / 10 && flat < far * 3 / 4, "leads 81-96: \(far) inside the band, \(flat) inside a flat one, of \(40 * 16)")
        for c in halfWidths.indices {
            #expect(zip(halfWidths[c], halfWidths[c].dropFirst()).allSatisfy { $0 <= $1 }, "series \(c): not non-decreasing")
            #expect(halfWidths[c][95] > 1.3 * halfWidths[c][0], "series \(c): \(halfWidths[c][0]) at lead 1, \(halfWidths[c][95]) at lead 96")
        }
    }

    @Test func tooShortForABacktestFallsBackToTheEnsemble() throws {
        let forecaster = try meanForecaster()
        #expect(try forecaster.backtestHalfWidths([ForecastInput(history: [1, 2, 3, 4, 5, 6, 7, 8])], horizon: 16, frequency: .steps) == nil)
        let table = TimeSeriesTable(timestamps: nil, columnNames: ["a"], values: [[1, -1, 1, -1, 1, -1, 1, -1]], frequency: .steps)
        let result = try forecaster.predict(table, horizon: 16, samples: 8, seed: 1, band: .backtest)
        #expect(result.lower[0] != result.point[0], "the ensemble's band is used")
        #expect(zip(result.lower[0], result.upper[0]).allSatisfy { $0 <= $1 })
    }

    @Test func shortHistoriesExtrapolateBeyondTheMeasuredLeads() throws {
        // 100 points, lookback 64: cuts keep at least 50 points, so leads beyond 50 are not
        // measured and grow as the square root of the lead.
        var generator = SeededGenerator(seed: 13)
        let inputs = (0..<4).map { _ in ForecastInput(history: gaussian(100, &generator)) }
        let halfWidths = try #require(try meanForecaster().backtestHalfWidths(inputs, horizon: 200, frequency: .steps))
        for widths in halfWidths {
            #expect(widths.allSatisfy { $0.isFinite && $0 > 0 })
            #expect(abs(widths[199] / widths[49] - 2) < 0.01, "lead 200 / lead 50: \(widths[199] / widths[49])")
        }
    }
}
