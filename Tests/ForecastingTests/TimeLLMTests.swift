import Autograd
import Forecasting
import Foundation
import NeuralNetworks
import Tensors
import Testing
import TestSupport
import Training

@Suite struct TimeLLMTests {
    static let backbones = ["gpt2-tiny", "llama-tiny"]

    func makeForecaster(_ backbone: String, seed: UInt64 = 1, promptTokens: Int? = nil) throws -> (Forecaster, TimeLLMModel, URL) {
        let tokenizer = try ForecastFixtures.tinyTokenizerFolder()
        var configuration = try ForecastFixtures.timeLLMConfiguration(backbone: backbone, tokenizer: tokenizer)
        configuration.timeLLM.maximumPromptTokens = promptTokens
        let forecaster = try Forecaster(configuration: configuration, seed: seed)
        return (forecaster, try #require(forecaster.timeLLM), tokenizer)
    }

    func windows(_ count: Int) -> [[Float]] {
        (0..<count).map { k -> [Float] in
            let raw: [Float] = (0..<16).map { Float($0 % (k + 2)) * Float(k + 1) }
            return InstanceNormalization(window: raw).normalize(raw)
        }
    }

    @Test func promptStatisticsFollowThePaper() {
        let window: [Float] = (0..<24).map { Float(sin(Double($0) * 2 * .pi / 6)) + Float($0) * 0.1 }
        let statistics = PromptAsPrefix.Statistics(window: window)
        #expect(statistics.minimum == window.min() && statistics.maximum == window.max())
        #expect(statistics.trend > 0 && PromptAsPrefix.Statistics(window: window.reversed()).trend < 0)
        // A period-6 sine correlates best at lags 6, 12, 18, then at lags 1 and 5.
        let sine = PromptAsPrefix.Statistics(window: (0..<24).map { Float(sin(Double($0) * 2 * .pi / 6)) })
        #expect(Set(sine.topLags.prefix(3)) == [6, 12, 18])
        #expect(Set(sine.topLags.suffix(2)).isSubset(of: [1, 5, 7, 11, 13, 17, 19, 23]))
        #expect(PromptAsPrefix.Statistics(window: [3, 1, 2]).median == 2)
        let text = PromptAsPrefix(description: "Toy.", lookback: 24, horizon: 8).text(for: window)
        #expect(text.hasPrefix("Dataset description: Toy. Task description: forecast the next 8 steps given the previous 24 steps information;"))
        #expect(text.contains("the trend of input is upward"))
    }

    @Test(arguments: backbones)
    func shapesAndPaddedPromptsMatchSinglePredictions(backbone: String) throws {
        let (_, model, tokenizer) = try makeForecaster(backbone)
        defer { try? FileManager.default.removeItem(at: tokenizer) }
        let inputs = windows(3)
        #expect(try model.patches(inputs).shape == [3, 5, 4])
        let prompts = try model.promptTokens(inputs)
        if backbone.contains("llama") {
            // Different lengths, so the padded, masked path runs (gpt2-tiny's context of 64
            // cuts every prompt to the same 59 tokens).
            #expect(Set(prompts.map(\.count)).count > 1)
        }
        #expect(prompts.allSatisfy { $0.count <= model.backbone.configuration.contextLength - 5 })
        let batch = try Tape.withoutGradient { try model(inputs).value }
        #expect(batch.shape == [3, 4])
        for (b, window) in inputs.enumerated() {
            let alone = try Tape.withoutGradient { try model([window]).value }
            expectClose(alone.scalars, Array(batch.scalars[(b * 4)..<((b + 1) * 4)]), rtol: 1e-4, atol: 1e-5)
        }
    }

    @Test func gradientsReachOnlyTheTrainableParts() throws {
        let (_, model, tokenizer) = try makeForecaster("gpt2-tiny")
        defer { try? FileManager.default.removeItem(at: tokenizer) }
        let loss = try model(windows(2)).meanSquaredError(Tensor(shape: [2, 4], values: [Float](repeating: 1, count: 8)))
        try loss.backward()
        for (name, parameter) in model.namedParameters() {
            if name.hasPrefix("backbone.") {
                #expect(parameter.grad == nil, "\(name) got a gradient")
            } else {
                #expect(parameter.grad != nil, "\(name) got no gradient")
            }
        }
    }

    @Test func trainingMovesOnlyTheTrainablePartsAndOverfitsATinySet() throws {
        // Short prompts keep the debug-build test fast.
        let (forecaster, model, tokenizer) = try makeForecaster("gpt2-tiny", promptTokens: 8)
        defer { try? FileManager.default.removeItem(at: tokenizer) }
        let backboneBefore = try ParameterSet(model.backbone.parameters).snapshot()
        let headBefore = model.outputProjection.weight.value.scalars
        // 33 rows, 70% = 23 training rows: exactly 4 windows of 16 + 4 to fit.
        let table = ForecastFixtures.seasonalTable(rows: 33)
        let split = try DataSplit.make(.ratio, length: table.length)
        let series = TrainingSeries.make(from: table, split: split)
        func trainingLoss() throws -> Float {
            var inputs: [[Float]] = [], targets: [Float] = []
            for item in series {
                for start in 0...3 {
                    let statistics = InstanceNormalization(window: item.values[start..<(start + 16)])
                    inputs.append(statistics.normalize(item.values[start..<(start + 16)]))
                    targets += statistics.normalize(item.values[(start + 16)..<(start + 20)])
                }
            }
            return try Tape.withoutGradient { try model(inputs).meanSquaredError(Tensor(shape: [inputs.count, 4], values: targets)).value.scalar }
        }
        let before = try trainingLoss()
        var options = ForecastFixtures.tinyOptions(steps: 60)
        options.learningRate = 1e-2
        let summary = try forecaster.train(on: [table], splits: [split], options: options, progress: ForecastFixtures.quiet)
        let after = try trainingLoss()
        #expect(after < 0.1 * before, "training MSE \(before) -> \(after)")
        #expect(try ParameterSet(model.backbone.parameters).snapshot() == backboneBefore)
        #expect(model.outputProjection.weight.value.scalars != headBefore)
        #expect(summary.trainableParameters == model.trainableParameters.reduce(0) { $0 + $1.value.count })
        #expect(summary.totalParameters > 10 * summary.trainableParameters)

        let directory = ForecastFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try forecaster.save(to: directory)
        let loaded = try Forecaster.load(from: directory)
        #expect(loaded.configuration == forecaster.configuration)
        #expect(try loaded.predict(table, horizon: 10).point == forecaster.predict(table, horizon: 10).point)
    }

    @Test func clearErrorsWithoutABackboneOrTokenizer() throws {
        var configuration = ForecasterConfiguration()
        configuration.method = .timeLLM
        #expect(throws: ForecastError.self) { try Forecaster(configuration: configuration) }
        configuration.frozenBackbone = try TestFixtures.url("gpt2-tiny").path
        #expect(throws: ForecastError.self) { try Forecaster(configuration: configuration) }   // no tokenizer in the folder
        configuration.timeLLM.tokenizer = try TestFixtures.url("gpt2-tokenizer").path
        #expect(throws: ForecastError.self) { try Forecaster(configuration: configuration) }   // 50,257 tokens > 1,000 embeddings
    }
}
