import Forecasting
import Foundation
import Tensors
import Testing
import TestSupport

/// Prepacking (Zhao et al. 2024) in AutoTimes' rolling forecasts: windows of different
/// lengths share packed rows and forecast exactly what they forecast alone.
@Suite struct PrepackedForecastTests {
    static let lengths = [5, 13, 16, 40, 4, 9, 30]      // 1, 3, 4, 4 (context), 1, 2, 4 segments of 4

    @Test(arguments: [false, true])
    func packedForecastsEqualPerSeriesForecasts(timestamps: Bool) throws {
        var generator = SeededGenerator(seed: 1)
        let model = try AutoTimesModel(configuration: ForecastFixtures.tinyConfiguration(timestamps: timestamps), generator: &generator)
        let start = Timestamp.seconds(.init(year: 2021, month: 3, day: 1))
        let inputs = Self.lengths.enumerated().map { k, length in
            ForecastInput(history: (0..<length).map { Float(sin(Double($0 + 3 * k) * 0.8)) * Float(k + 1) + Float(k) },
                          startTime: timestamps ? start + Double(k) * 86_400 : nil)
        }
        let packed = try model.rollingForecast(inputs, horizon: 11, frequency: .hours(1), generator: &generator, prepack: true)
        for (index, input) in inputs.enumerated() {
            let alone = try model.rollingForecast([input], horizon: 11, frequency: .hours(1), generator: &generator)[0]
            #expect(packed[index] == alone, "series \(index) (\(input.history.count) points)")
        }
    }

    @Test func aSeriesThatStartsLateIsForecastFromItsOwnValues() throws {
        let directory = ForecastFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let start = Timestamp.seconds(.init(year: 2020, month: 1, day: 1))
        let rows = (0..<40).map { r in "\(Timestamp.format(start + Double(r) * 3600)),\(sin(Double(r))),\(r < 23 ? "" : "\(cos(Double(r)))")" }
        let url = directory.appendingPathComponent("late.csv")
        try ("date,a,b\n" + rows.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        let table = try TimeSeriesCSV.read(path: url.path)
        #expect(table.report.leadingMissing == ["b": 23])
        #expect(table.report.lines.contains { $0.contains("'b' starts after 23 missing rows") })
        let forecaster = try Forecaster(configuration: ForecastFixtures.tinyConfiguration(), seed: 2)
        let packed = try forecaster.predict(table, horizon: 6, prepack: true)
        let separate = try forecaster.predict(table, horizon: 6, prepack: false)
        #expect(packed.point == separate.point)
        // b's 17 values (4 segments) are read, not the 23 filled copies of its first value before them.
        var generator = SeededGenerator(seed: 0)
        let own = try forecaster.network.rollingForecast([ForecastInput(history: Array(table.values[1][23...]))], horizon: 6,
                                                         frequency: .hours(1), noiseScale: 0, generator: &generator, batchSize: 8, prepack: false)
        #expect(packed.point[1] == own[0])
    }
}
