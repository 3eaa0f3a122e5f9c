import Forecasting
import Foundation
import NeuralNetworks
import Testing
import TestSupport
import Training

/// LoRA on a frozen backbone (Hu et al. 2021): only adapters, segment maps / heads train;
/// the adapters are saved beside the forecaster and loaded back.
@Suite struct LoRAForecastTests {
    func check(_ forecaster: Forecaster, table: TimeSeriesTable, steps: Int) throws {
        let network = forecaster.network
        let named = network.namedParameters()
        let adapters = named.filter { $0.name.contains(".adapter.") }
        #expect(!adapters.isEmpty)
        #expect(adapters.allSatisfy { $0.name.hasPrefix("backbone.blocks.") })
        let before = Dictionary(uniqueKeysWithValues: named.map { ($0.name, $0.variable.value.scalars) })
        let split = try DataSplit.make(.ratio, length: table.length)
        var options = ForecastFixtures.tinyOptions(steps: steps)
        options.validationInterval = 0
        _ = try forecaster.train(on: [table], splits: [split], options: options, progress: ForecastFixtures.quiet)
        for (name, variable) in network.namedParameters() {
            let changed = variable.value.scalars != before[name]!
            if name.hasPrefix("backbone.") && !name.contains(".adapter.") {
                #expect(!changed, "frozen \(name) changed")
            } else if name.hasSuffix(".adapter.up") || !name.hasPrefix("backbone.") {
                #expect(changed, "trainable \(name) did not change")
            }
        }
        let directory = ForecastFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try forecaster.save(to: directory)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(Forecaster.adaptersFileName).path))
        let loaded = try Forecaster.load(from: directory)
        #expect(loaded.configuration == forecaster.configuration)
        let point = try forecaster.predict(table, horizon: 9).point
        #expect(try loaded.predict(table, horizon: 9).point == point)
        // Merged into the weights, the adapters cost nothing and forecast the same up to
        // rounding. Compared over one step only: a roll feeds the forecast back, and
        // Time-LLM's prompt states statistics to 3 decimals, so rounding-level differences
        // can flip a prompt token in later steps.
        let step = forecaster.network.stepLength
        let first = try forecaster.predict(table, horizon: step).point
        try loaded.mergeAdapters()
        #expect(loaded.network.namedParameters().allSatisfy { !$0.name.contains(".adapter.") })
        expectClose(try loaded.predict(table, horizon: step).point.flatMap { $0 }, first.flatMap { $0 }, rtol: 1e-4, atol: 1e-4)
        #expect(throws: ForecastError.self) { try loaded.save(to: directory) }
        // Without its adapters the backbone computes something else: they matter.
        try FileManager.default.removeItem(at: directory.appendingPathComponent(Forecaster.adaptersFileName))
        #expect(throws: ForecastError.self) { try Forecaster.load(from: directory) }
    }

    @Test(arguments: ["gpt2-tiny", "llama-tiny"])
    func autoTimesTrainsOnlyAdaptersAndSegmentMaps(fixture: String) throws {
        var configuration = ForecastFixtures.tinyConfiguration()
        configuration.frozenBackbone = try TestFixtures.url(fixture).path
        configuration.lora = LoRASettings(rank: 2)
        let forecaster = try Forecaster(configuration: configuration, seed: 1)
        try check(forecaster, table: ForecastFixtures.seasonalTable(), steps: 4)
    }

    @Test func timeLLMTrainsOnlyAdaptersAndItsOwnLayers() throws {
        let tokenizer = try ForecastFixtures.tinyTokenizerFolder()
        defer { try? FileManager.default.removeItem(at: tokenizer) }
        var configuration = try ForecastFixtures.timeLLMConfiguration(backbone: "gpt2-tiny", tokenizer: tokenizer)
        configuration.timeLLM.maximumPromptTokens = 8
        configuration.lora = LoRASettings(rank: 2, alpha: 4)
        let forecaster = try Forecaster(configuration: configuration, seed: 1)
        try check(forecaster, table: ForecastFixtures.seasonalTable(rows: 60), steps: 3)
    }

    @Test func adaptersNeedAFrozenBackbone() {
        var configuration = ForecastFixtures.tinyConfiguration()
        configuration.lora = LoRASettings(rank: 2)
        #expect(throws: ForecastError.self) { try Forecaster(configuration: configuration) }
    }
}
