import Forecasting
import Foundation
import Testing

@Suite struct ProtocolTests {
    @Test func standardSplitsMatchTheReadme() throws {
        let ett = try DataSplit.make(.ettHourly, length: 17_420)
        #expect(ett.train == 0..<8640 && ett.validation == 8640..<11_520 && ett.test == 11_520..<14_400)
        #expect(DataSplit.windowStarts(targets: ett.test, lookback: 336, horizon: 96).count == 2785)
        let minute = try DataSplit.make(.ettMinute, length: 69_680)
        #expect(minute.test == 46_080..<57_600)
        let exchange = try DataSplit.make(.ratio, length: 7588)
        #expect([exchange.train.count, exchange.validation.count, exchange.test.count] as [Int] == [5311, 760, 1517])
        let illness = try DataSplit.make(.ratio, length: 966)
        #expect([illness.train.count, illness.validation.count, illness.test.count] as [Int] == [676, 97, 193])
        #expect(DataSplit.kind(forFile: "data/ETTm1.csv") == .ettMinute)
        #expect(throws: ForecastError.self) { try DataSplit.make(.ettHourly, length: 100) }
    }

    /// Series 0..<10, test rows 6..<10, lookback 2, horizon 2: windows start at 6, 7, 8.
    /// Predicting 0 everywhere gives errors (6,7), (7,8), (8,9):
    /// MSE = (36+49+49+64+64+81)/6 = 343/6, MAE = (6+7+7+8+8+9)/6 = 45/6.
    @Test func mseAndMaeOnAHandCheckableSeries() throws {
        let values: [[Float]] = [(0..<10).map(Float.init)]
        let scores = try ForecastEvaluation.score(values: values, test: 6..<10, lookback: 2, horizons: [2]) { windows, _, h in
            windows.map { _ in [Float](repeating: 0, count: h) }
        }
        #expect(scores[0].windows == 3)
        #expect(abs(scores[0].mse - 343.0 / 6) < 1e-9)
        #expect(abs(scores[0].mae - 45.0 / 6) < 1e-9)
        // Repeat-last: errors (1,2) per window.
        let repeatLast = try ForecastEvaluation.score(values: values, test: 6..<10, lookback: 2, horizons: [1, 2], rolledOnce: true) { windows, _, h in
            windows.map { NaiveForecast.repeatLast($0, horizon: h) }
        }
        #expect(repeatLast.map(\.windows) == [4, 3])
        #expect(repeatLast[0].mse == 1 && repeatLast[1].mse == 2.5 && repeatLast[1].mae == 1.5)
    }

    @Test func baselinesOnTheProtocolMatchAcrossChannels() throws {
        // Two channels with different scales: scaled errors are equal, so the average is too.
        let a: [Float] = (0..<400).map { (i: Int) -> Float in Float(sin(Double(i) * 2 * Double.pi / 24)) }
        let table = TimeSeriesTable(timestamps: nil, columnNames: ["a", "b"], values: [a, a.map { 10 * $0 + 3 }], frequency: .hours(1))
        let report = try Forecaster.evaluate(table, file: "t.csv", split: .ratio, lookback: 48, horizons: [12, 24],
                                             forecaster: nil, baselines: true)
        for score in report.scores["seasonal-naive"]! { #expect(score.mse < 1e-10) }
        for score in report.scores["linear"]! { #expect(score.mse < 1e-4) }
        #expect(report.scores["repeat-last"]![1].mse > 0.1)
    }
}
