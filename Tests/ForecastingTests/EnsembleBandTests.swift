import Forecasting
import Foundation
import Tensors
import Testing
import TestSupport

/// The band of `forecast predict --samples N`: an ensemble of rolls that feed back Gaussian
/// noise whose size is fixed in data units, so the members' spread cannot compound.
@Suite struct EnsembleBandTests {
    /// A model that predicts every next segment as the current window's mean (projection zeroed):
    /// what a roll feeds back is then the noise alone.
    func meanModel() throws -> AutoTimesModel {
        let model = try #require(try Forecaster(configuration: ForecastFixtures.tinyConfiguration(segment: 4, context: 2), seed: 2).autoTimes)
        for parameter in model.segmentProjection.parameters { parameter.value = Tensor.zeros(parameter.value.shape) }
        return model
    }

    /// Standard deviation over the members at each horizon step.
    func spread(_ members: [[Float]]) -> [Float] {
        members[0].indices.map { h in
            let values = members.map { Double($0[h]) }
            let mean = values.reduce(0, +) / Double(values.count)
            return Float((values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot())
        }
    }

    @Test(arguments: [false, true])
    func noiseStaysAtItsScaleOverLongRolls(prepack: Bool) throws {
        let model = try meanModel()
        // History: 8 points of spread 1 (the window the model reads).
        let history: [Float] = [1, -1, 1, -1, 1, -1, 1, -1]
        var generator = SeededGenerator(seed: 5)
        let members = try (0..<200).map { _ in
            try model.rollingForecast([ForecastInput(history: history)], horizon: 160, frequency: .steps, noiseScale: 2,
                                      generator: &generator, batchSize: 8, prepack: prepack)[0]
        }
        let sd = spread(members)
        // The first segment is the mean (0) plus noise of 2 x the history's spread.
        let first = sd[0..<4].reduce(0, +) / 4
        #expect(abs(first - 2) < 0.3, "first-segment spread \(first)")
        // Later segments: the fed-back means wander (an AR(2) with a unit root, so linearly
        // growing variance: about 4 after 40 steps), not geometrically. Noise rescaled by each
        // window's own spread grew about 2x per two segments: a spread of ~1e6 here.
        let last = sd[156..<160].reduce(0, +) / 4
        #expect(last < 10, "last-segment spread \(last)")
        #expect(members.allSatisfy { $0.allSatisfy(\.isFinite) })
    }

    @Test func perSeriesNoiseScaleMultipliesTheCallsScale() throws {
        let model = try meanModel()
        let history: [Float] = [1, -1, 1, -1, 1, -1, 1, -1]
        var generator = SeededGenerator(seed: 6)
        let members = try (0..<200).map { _ in
            try model.rollingForecast([ForecastInput(history: history, noiseScale: 0), ForecastInput(history: history, noiseScale: 0.5)],
                                      horizon: 4, frequency: .steps, noiseScale: 1, generator: &generator, batchSize: 8, prepack: false)
        }
        #expect(spread(members.map { $0[0] }).allSatisfy { $0 == 0 })
        let half = spread(members.map { $0[1] }).reduce(0, +) / 4
        #expect(abs(half - 0.5) < 0.1, "spread \(half)")
    }

    @Test func bandOfATrainedModelOnAPeriodicSeriesHoldsThePointAndStaysNarrow() throws {
        let table = ForecastFixtures.seasonalTable(rows: 400)
        let forecaster = try Forecaster(configuration: ForecastFixtures.tinyConfiguration(segment: 8, context: 4), seed: 4)
        var options = ForecastFixtures.tinyOptions(steps: 150)
        options.validationInterval = 50
        _ = try forecaster.train(on: [table], splits: [try DataSplit.make(.ratio, length: table.length)], options: options,
                                 progress: ForecastFixtures.quiet)
        let horizon = 96
        let result = try forecaster.predict(table, horizon: horizon, samples: 16, seed: 1)
        for c in 0..<2 {
            let scale = InstanceNormalization(window: table.values[c].suffix(32)).deviation
            let inside = (0..<horizon).filter { result.lower[c][$0] <= result.point[c][$0] && result.point[c][$0] <= result.upper[c][$0] }.count
            #expect(inside >= horizon * 9 / 10, "series \(c): the point forecast is inside the band at \(inside) of \(horizon) steps")
            let widths = (0..<horizon).map { (result.upper[c][$0] - result.lower[c][$0]) / scale }
            #expect(widths.allSatisfy { $0 >= 0 && $0 < 3 }, "series \(c): widest band \(widths.max()!) x the series' spread")
            // No growth over the roll beyond the fed-back errors' own accumulation.
            let early = widths.prefix(16).reduce(0, +) / 16, late = widths.suffix(16).reduce(0, +) / 16
            #expect(late < 3 * early + 0.2, "series \(c): band \(early) early, \(late) late")
        }
    }
}
