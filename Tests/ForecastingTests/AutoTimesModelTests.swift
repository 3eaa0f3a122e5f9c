import Forecasting
import Foundation
import Tensors
import Testing
import TestSupport

@Suite struct AutoTimesModelTests {
    @Test func forwardMapsSegmentsToNextSegments() throws {
        var generator = SeededGenerator(seed: 1)
        let model = try AutoTimesModel(configuration: ForecastFixtures.tinyConfiguration(), generator: &generator)
        let output = try model(randomTensor([3, 4, 4], seed: 2))
        #expect(output.shape == [3, 4, 4])
        #expect(throws: ForecastError.self) { try model(randomTensor([3, 4, 5], seed: 2)) }
    }

    @Test func causalPrefixesGiveTheSamePredictions() throws {
        var generator = SeededGenerator(seed: 1)
        let model = try AutoTimesModel(configuration: ForecastFixtures.tinyConfiguration(), generator: &generator)
        let input = randomTensor([1, 4, 4], seed: 3)
        let full = try model(input).value
        let prefix = try model(input.sliced(axis: 1, range: 0..<2).contiguous()).value
        expectClose(try full.sliced(axis: 1, range: 0..<2).contiguous(), prefix, rtol: 1e-5, atol: 1e-5)
    }

    @Test(arguments: [1, 4, 7, 30])
    func rollingForecastHasTheRequestedShape(horizon: Int) throws {
        var generator = SeededGenerator(seed: 1)
        let model = try AutoTimesModel(configuration: ForecastFixtures.tinyConfiguration(), generator: &generator)
        let inputs = [ForecastInput(history: (0..<13).map(Float.init)), ForecastInput(history: (0..<40).map { Float($0 % 5) }),
                      ForecastInput(history: [1, 2, 3, 4])]
        let forecasts = try model.rollingForecast(inputs, horizon: horizon, generator: &generator)
        #expect(forecasts.count == 3)
        #expect(forecasts.allSatisfy { $0.count == horizon && $0.allSatisfy(\.isFinite) })
        #expect(throws: ForecastError.self) {
            try model.rollingForecast([ForecastInput(history: [1, 2])], horizon: 3, generator: &generator)
        }
    }

    @Test func rollingForecastIsScaleEquivariant() throws {
        // Instance normalisation: forecasting a*x + b gives a*f(x) + b.
        var generator = SeededGenerator(seed: 1)
        let model = try AutoTimesModel(configuration: ForecastFixtures.tinyConfiguration(), generator: &generator)
        let history = (0..<16).map { Float(sin(Double($0))) }
        let base = try model.rollingForecast([ForecastInput(history: history)], horizon: 9, generator: &generator)[0]
        let shifted = try model.rollingForecast([ForecastInput(history: history.map { 3 * $0 + 10 })], horizon: 9, generator: &generator)[0]
        expectClose(shifted, base.map { 3 * $0 + 10 }, rtol: 1e-3, atol: 1e-3)
    }

    @Test func trainingIsDeterministicUnderASeedAndLowersTheLoss() throws {
        let table = ForecastFixtures.seasonalTable()
        let split = try DataSplit.make(.ratio, length: table.length)
        func run(seed: UInt64, steps: Int) throws -> (ForecastTrainingSummary, [[Float]]) {
            let forecaster = try Forecaster(configuration: ForecastFixtures.tinyConfiguration(), seed: seed)
            var options = ForecastFixtures.tinyOptions(steps: steps)
            options.seed = seed
            let summary = try forecaster.train(on: [table], splits: [split], options: options, progress: ForecastFixtures.quiet)
            return (summary, try forecaster.predict(table, horizon: 10).point)
        }
        let (first, forecastA) = try run(seed: 5, steps: 40)
        let (_, forecastB) = try run(seed: 5, steps: 40)
        let (_, forecastC) = try run(seed: 6, steps: 40)
        #expect(forecastA == forecastB)
        #expect(forecastA != forecastC)
        let (untrained, _) = try run(seed: 5, steps: 1)
        #expect(try #require(first.bestValidationLoss) < (try #require(untrained.bestValidationLoss)))
    }

    @Test func weightAveragingKeepsTheMovingAverage() throws {
        let table = ForecastFixtures.seasonalTable()
        let split = try DataSplit.make(.ratio, length: table.length)
        func run(decay: Float) throws -> [[Float]] {
            let forecaster = try Forecaster(configuration: ForecastFixtures.tinyConfiguration(), seed: 4)
            var options = ForecastFixtures.tinyOptions(steps: 12)
            options.validationInterval = 12
            options.averagingDecay = decay
            _ = try forecaster.train(on: [table], splits: [split], options: options, progress: ForecastFixtures.quiet)
            return try forecaster.predict(table, horizon: 6).point
        }
        let plain = try run(decay: 0)
        // A vanishing decay averages nothing away: the last weights, up to rounding.
        expectClose(try run(decay: 1e-7).flatMap { $0 }, plain.flatMap { $0 }, rtol: 1e-4, atol: 1e-4)
        #expect(try run(decay: 0.9) != plain)
        var options = ForecastTrainingOptions()
        options.averagingDecay = 1
        #expect(throws: ForecastError.self) { try options.validate() }
    }

    @Test func dropoutActsOnlyWhileTraining() throws {
        var configuration = ForecastFixtures.tinyConfiguration()
        configuration.dropout = 0.5
        var generator = SeededGenerator(seed: 1)
        let model = try AutoTimesModel(configuration: configuration, generator: &generator)
        let input = randomTensor([2, 4, 4], seed: 3)
        let inference = try model(input).value
        #expect(try model(input).value.scalars == inference.scalars)
        model.trainingGenerator = SeededGenerator(seed: 9)
        let dropped = try model(input).value
        model.trainingGenerator = nil
        #expect(dropped.scalars != inference.scalars)
        #expect(try model(input).value.scalars == inference.scalars)
        configuration.dropout = 1
        #expect(throws: ForecastError.self) { try AutoTimesModel(configuration: configuration, generator: &generator) }
    }

    @Test func balancedSamplingDrawsEachFileEvenly() throws {
        // One long file (2 series) and one short file (1 series): balanced, each file gets
        // about half of the windows; unbalanced, the short file gets its small share.
        let long = TrainingSeries(values: [Float](repeating: 0, count: 1000), train: 0..<1000, validation: 0..<0)
        var short = TrainingSeries(values: [Float](repeating: 0, count: 60), train: 0..<60, validation: 0..<0)
        short.group = 1
        let windows = ForecastTrainingLoop.Windows(series: [long, long, short], length: 20, targetOffset: 10, validationLimit: 1)
        var generator = SeededGenerator(seed: 3)
        let balanced = windows.sample(4000, groups: [0, 0, 1], using: &generator).filter { $0.series == 2 }.count
        let plain = windows.sample(4000, using: &generator).filter { $0.series == 2 }.count
        #expect(abs(balanced - 2000) < 150)          // binomial sd ~32
        #expect(abs(plain - 4000 * 41 / (2 * 981 + 41)) < 40)
    }

    @Test func saveAndLoadGiveTheSameForecast() throws {
        let table = ForecastFixtures.seasonalTable()
        let forecaster = try Forecaster(configuration: ForecastFixtures.tinyConfiguration(timestamps: true), seed: 3)
        _ = try forecaster.train(on: [table], splits: [try DataSplit.make(.ratio, length: table.length)],
                                 options: ForecastFixtures.tinyOptions(steps: 5), progress: ForecastFixtures.quiet)
        let directory = ForecastFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try forecaster.save(to: directory)
        let loaded = try Forecaster.load(from: directory)
        #expect(loaded.configuration == forecaster.configuration)
        #expect(try loaded.predict(table, horizon: 7).point == forecaster.predict(table, horizon: 7).point)
        #expect(throws: ForecastError.self) { try Forecaster.load(from: directory.appendingPathComponent("missing")) }
    }

    @Test func ensembleBandContainsThePointForecastAndIsSeeded() throws {
        let table = ForecastFixtures.seasonalTable()
        let forecaster = try Forecaster(configuration: ForecastFixtures.tinyConfiguration(), seed: 3)
        let a = try forecaster.predict(table, horizon: 12, samples: 8, seed: 1)
        let b = try forecaster.predict(table, horizon: 12, samples: 8, seed: 1)
        #expect(a.lower == b.lower && a.upper == b.upper)
        for c in 0..<2 { for h in 0..<12 { #expect(a.lower[c][h] <= a.upper[c][h]) } }
        #expect(a.timestamps?.first == table.timestamps!.last! + 3600)
        let csv = a.csv(includeBand: true)
        #expect(csv.hasPrefix("date,a,a_lower,a_upper,b,b_lower,b_upper\n2020-01-17 16:00:00,"))
    }
}
