import Forecasting
import Testing
import TestSupport

@Suite struct BaselineTests {
    @Test func seasonalNaiveIsPerfectOnAPureSeasonalSeries() {
        let season: [Float] = [1, 4, 2, 8, 5, 7]
        let series = (0..<60).map { season[$0 % 6] }
        for start in stride(from: 12, to: 40, by: 5) {
            let forecast = NaiveForecast.seasonal(Array(series[(start - 12)..<start]), period: 6, horizon: 15)
            #expect(forecast == Array(series[start..<(start + 15)]))
        }
    }

    @Test func repeatLastRepeatsTheLastValue() {
        #expect(NaiveForecast.repeatLast([3, 1, 9] as [Float], horizon: 3) == [9, 9, 9])
    }

    @Test func linearMapIsExactOnALinearSeries() throws {
        let series: [[Float]] = [(0..<200).map { 0.05 * Float($0) - 3 }, (0..<200).map { -0.02 * Float($0) + 1 }]
        let map = try LinearMapForecast(fitting: series, rows: 0..<150, lookback: 8, horizon: 5)
        for start in [160, 170, 195 - 5] {
            let window = series[0][(start - 8)..<start]
            expectClose(map.predict(window), Array(series[0][start..<(start + 5)]), rtol: 0, atol: 2e-3)
        }
        let batch = try map.predict([series[1][100..<108]])
        expectClose(batch[0], Array(series[1][108..<113]), rtol: 0, atol: 2e-3)
    }

    @Test func linearMapNeedsEnoughRows() {
        #expect(throws: ForecastError.self) {
            try LinearMapForecast(fitting: [[1, 2, 3]], rows: 0..<3, lookback: 8, horizon: 5)
        }
    }
}
