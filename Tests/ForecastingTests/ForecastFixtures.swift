import Forecasting
import Foundation
import NeuralNetworks
import TestSupport
import Tokenizers

/// Tiny configurations and series shared by the model tests.
enum ForecastFixtures {
    static func tinyConfiguration(segment: Int = 4, context: Int = 4, timestamps: Bool = false) -> ForecasterConfiguration {
        var configuration = ForecasterConfiguration()
        configuration.segmentLength = segment
        configuration.contextSegments = context
        configuration.timestampEmbedding = timestamps
        configuration.backbone.hiddenSize = 16
        configuration.backbone.layerCount = 1
        configuration.backbone.headCount = 2
        configuration.backbone.intermediateSize = 32
        configuration.backbone.contextLength = 16
        return configuration
    }

    static func tinyOptions(steps: Int = 15) -> ForecastTrainingOptions {
        var options = ForecastTrainingOptions()
        options.steps = steps
        options.batchSize = 8
        options.learningRate = 3e-3
        options.validationInterval = 5
        options.validationWindows = 16
        return options
    }

    /// A daily-period hourly table with two channels, 400 rows.
    static func seasonalTable(rows: Int = 400) -> TimeSeriesTable {
        let start = Timestamp.seconds(.init(year: 2020, month: 1, day: 1))
        let a = (0..<rows).map { Float(sin(Double($0) * 2 * .pi / 8)) + 0.01 * Float($0) }
        let b = (0..<rows).map { Float(cos(Double($0) * 2 * .pi / 8)) * 2 + 5 }
        return TimeSeriesTable(timestamps: (0..<rows).map { start + Double($0) * 3600 }, columnNames: ["a", "b"],
                               values: [a, b], frequency: .hours(1))
    }

    static var quiet: (String) -> Void { { _ in } }

    /// A byte-level BPE tokenizer small enough for the tiny fixtures' 1,000-token tables
    /// (the real GPT-2 vocabulary has 50,257), trained on Time-LLM-style prompts and saved
    /// as `vocab.json` + `merges.txt` in a new folder.
    static func tinyTokenizerFolder() throws -> URL {
        let prompt = PromptAsPrefix(description: "Two toy hourly series.", lookback: 16, horizon: 4)
        let texts = (0..<40).map { k in prompt.text(for: (0..<16).map { Float(sin(Double($0 + k) * 0.7)) * Float(k % 5) }) }
        let tokenizer = try BytePairTrainer(vocabularySize: 1000, specialTokens: ["<|endoftext|>"]).train(on: texts)
        let folder = temporaryDirectory()
        try tokenizer.save(to: folder)
        return folder
    }

    /// A Time-LLM configuration over a tiny fixture backbone: lookback 16, horizon 4,
    /// 5 patches of 4 points.
    static func timeLLMConfiguration(backbone: String, tokenizer: URL) throws -> ForecasterConfiguration {
        var configuration = ForecasterConfiguration()
        configuration.method = .timeLLM
        configuration.frozenBackbone = try TestFixtures.url(backbone).path
        configuration.timeLLM.lookback = 16
        configuration.timeLLM.horizon = 4
        configuration.timeLLM.patchLength = 4
        configuration.timeLLM.patchStride = 4
        configuration.timeLLM.patchWidth = 8
        configuration.timeLLM.prototypeCount = 16
        configuration.timeLLM.headCount = 2
        configuration.timeLLM.headWidth = 4
        configuration.timeLLM.outputWidth = 8
        configuration.timeLLM.datasetDescription = "Two toy hourly series."
        configuration.timeLLM.tokenizer = tokenizer.path
        return configuration
    }

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("forecast-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
