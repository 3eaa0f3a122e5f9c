import Forecasting
import Foundation
import Testing
import TestSupport
import Training

@Suite struct FrozenBackboneTests {
    @Test(arguments: ["gpt2-tiny", "llama-tiny"])
    func onlyTheSegmentMapsTrain(fixture: String) throws {
        var configuration = ForecastFixtures.tinyConfiguration()
        configuration.frozenBackbone = try TestFixtures.url(fixture).path
        let forecaster = try Forecaster(configuration: configuration, seed: 1)
        let model = try #require(forecaster.autoTimes)
        #expect(model.backbone.configuration.hiddenSize == 64)
        let backboneBefore = try ParameterSet(model.backbone.parameters).snapshot()
        let embeddingBefore = model.segmentEmbedding.first.weight.value.scalars
        let table = ForecastFixtures.seasonalTable()
        let summary = try forecaster.train(on: [table], splits: [try DataSplit.make(.ratio, length: table.length)],
                                           options: ForecastFixtures.tinyOptions(steps: 6), progress: ForecastFixtures.quiet)
        #expect(try ParameterSet(model.backbone.parameters).snapshot() == backboneBefore)
        #expect(model.segmentEmbedding.first.weight.value.scalars != embeddingBefore)
        #expect(summary.trainableParameters == 2 * (4 * 64 + 64) - 64 + 4)
        #expect(summary.totalParameters > 50 * summary.trainableParameters)

        // The saved folder holds only the trained maps; loading reads the backbone again.
        let directory = ForecastFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try forecaster.save(to: directory)
        let loaded = try Forecaster.load(from: directory)
        #expect(try loaded.predict(table, horizon: 6).point == forecaster.predict(table, horizon: 6).point)
    }

    @Test func missingBackboneFolderIsAClearError() {
        var configuration = ForecastFixtures.tinyConfiguration()
        configuration.frozenBackbone = "/nonexistent/backbone"
        #expect(throws: ForecastError.self) { try Forecaster(configuration: configuration) }
    }
}
