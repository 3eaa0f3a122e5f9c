import Autograd
import ForecastCommands
import Forecasting
import Foundation
import NeuralNetworks
import Tensors
import Testing
import TestSupport
import Tokenizers
import Training

/// AutoTimes' timestamp embeddings from the frozen LLM (Liu et al. 2024, Sec. 3.2).
@Suite struct TimestampTextTests {
    static let hour = 3600.0
    static let start = Timestamp.seconds(.init(year: 2020, month: 1, day: 1))

    func makeForecaster(lora: Bool = false) throws -> (Forecaster, AutoTimesModel, URL) {
        let tokenizer = try ForecastFixtures.tinyTokenizerFolder()
        var configuration = ForecastFixtures.tinyConfiguration(timestamps: true)
        configuration.frozenBackbone = try TestFixtures.url("gpt2-tiny").path
        configuration.timestampSource = .llmText
        configuration.timeLLM.tokenizer = tokenizer.path
        if lora { configuration.lora = LoRASettings(rank: 2) }
        let forecaster = try Forecaster(configuration: configuration, seed: 1)
        return (forecaster, try #require(forecaster.autoTimes), tokenizer)
    }

    /// The final hidden state of the text's last token, from a separately loaded LLM.
    func reference(_ text: String, tokenizer: URL) throws -> [Float] {
        let llm = try DecoderTransformer.load(from: try TestFixtures.url("gpt2-tiny"))
        let ids = try BytePairTokenizer(directory: tokenizer).encode(text)
        let hidden = try Tape.withoutGradient { try llm.hiddenStates(.tokens([ids])).value }   // [1, T, C]
        return try hidden.sliced(axis: 1, range: (ids.count - 1)..<ids.count).contiguous().scalars
    }

    @Test func embeddingIsTheLLMsLastHiddenStateOfThePapersText() throws {
        let (_, model, tokenizer) = try makeForecaster()
        defer { try? FileManager.default.removeItem(at: tokenizer) }
        let embedder = try #require(model.timestampText)
        let text = TimestampTextEmbedding.text(first: Self.start, last: Self.start + 3 * Self.hour, frequency: .hours(1))
        #expect(text == "This is Time Series from 2020-01-01 00:00:00 to 2020-01-01 03:00:00")
        #expect(TimestampTextEmbedding.text(first: Self.start, last: Self.start + 86_400 * 3, frequency: .days(1))
                == "This is Time Series from 2020-01-01 to 2020-01-04")
        let other = TimestampTextEmbedding.text(first: Self.start + 4 * Self.hour, last: Self.start + 7 * Self.hour, frequency: .hours(1))
        let later = TimestampTextEmbedding.text(first: Self.start + 86_400 * 40, last: Self.start + 86_400 * 40 + 3 * Self.hour, frequency: .hours(1))
        // Embedded together (batched by token count) and cached.
        let vectors = try embedder.embeddings(for: [text, other, later, text])
        #expect(embedder.cachedCount == 3)
        #expect(vectors.allSatisfy { $0.count == 64 })
        expectClose(vectors[0], try reference(text, tokenizer: tokenizer), rtol: 1e-4, atol: 1e-5)
        expectClose(vectors[2], try reference(later, tokenizer: tokenizer), rtol: 1e-4, atol: 1e-5)
        #expect(vectors[3] == vectors[0])
        // Different timestamps, different embeddings.
        for (a, b) in [(0, 1), (0, 2), (1, 2)] {
            let distance = zip(vectors[a], vectors[b]).map { abs($0 - $1) }.max()!
            #expect(distance > 1e-3, "texts \(a) and \(b) embed alike")
        }
        #expect(try embedder.embeddings(for: [other]) == [vectors[1]])
        #expect(embedder.cachedCount == 3)
    }

    @Test func eachSegmentGetsTheTextOfItsFirstAndLastPointAndItIsAdded() throws {
        let (_, model, tokenizer) = try makeForecaster()
        defer { try? FileManager.default.removeItem(at: tokenizer) }
        #expect(model.timestampSource == .llmText && model.timestampEmbedding == nil && model.timestampFeatureCount == 64)
        // Segments of 4 hourly points; the window starts at point 8.
        let features = try model.timestampFeatures([TimestampedWindow(seriesStart: Self.start, offset: 8, segments: 2)], frequency: .hours(1))
        let texts = [(8, 11), (12, 15)].map {
            TimestampTextEmbedding.text(first: Self.start + Double($0.0) * Self.hour, last: Self.start + Double($0.1) * Self.hour, frequency: .hours(1))
        }
        #expect(features == [try model.timestampText!.embeddings(for: texts).flatMap { $0 }])
        // E_i = SE_i + TE_i: shifting TE by a vector moves the backbone's input exactly so.
        let segments = randomTensor([1, 2, 4], seed: 3)
        let stamps = Tensor(shape: [1, 2, 64], values: features[0])
        let with = try Tape.withoutGradient { try model(segments, timestamps: stamps).value }
        #expect(throws: ForecastError.self) { try model(segments) }
        let zero = try Tape.withoutGradient { try model(segments, timestamps: Tensor(shape: [1, 2, 64], values: [Float](repeating: 0, count: 128))).value }
        #expect(with.scalars != zero.scalars)
    }

    @Test func trainSaveLoadPredictKeepsTheTextEmbeddingsAndTheBackbone() throws {
        let (forecaster, model, tokenizer) = try makeForecaster()
        defer { try? FileManager.default.removeItem(at: tokenizer) }
        let backboneBefore = try ParameterSet(model.backbone.parameters).snapshot()
        let table = ForecastFixtures.seasonalTable(rows: 160)
        let summary = try forecaster.train(on: [table], splits: [try DataSplit.make(.ratio, length: table.length)],
                                           options: ForecastFixtures.tinyOptions(steps: 4), progress: ForecastFixtures.quiet)
        #expect(summary.timestamps == .llmText)
        #expect(try ParameterSet(model.backbone.parameters).snapshot() == backboneBefore)
        // Only the segment maps train: the LLM's text embeddings add no parameters.
        #expect(summary.trainableParameters == 2 * (4 * 64 + 64) - 64 + 4)
        #expect(model.timestampText!.cachedCount > 0)

        let directory = ForecastFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try forecaster.save(to: directory)
        let loaded = try Forecaster.load(from: directory)
        #expect(loaded.configuration.timestampEmbedding && loaded.configuration.timestampSource == .llmText)
        #expect(loaded.autoTimes?.timestampText != nil)
        let point = try forecaster.predict(table, horizon: 6).point
        #expect(try loaded.predict(table, horizon: 6).point == point)
        expectClose(try loaded.predict(table, horizon: 6, prepack: true).point.flatMap { $0 }, point.flatMap { $0 }, rtol: 1e-4, atol: 1e-4)
        var undated = table
        undated.timestamps = nil
        #expect(throws: ForecastError.self) { try loaded.predict(undated, horizon: 6) }
    }

    @Test func withLoRATheTextsAreEmbeddedByAnUnadaptedCopy() throws {
        let (_, model, tokenizer) = try makeForecaster(lora: true)
        defer { try? FileManager.default.removeItem(at: tokenizer) }
        #expect(model.timestampText!.backbone !== model.backbone)
        #expect(model.timestampText!.backbone.namedParameters().allSatisfy { !$0.name.contains("adapter") })
    }

    @Test func calendarFeaturesWithoutAnLLMAndTheCommandPicksTheSource() throws {
        let calendar = try Forecaster(configuration: ForecastFixtures.tinyConfiguration(timestamps: true)).autoTimes!
        #expect(calendar.timestampSource == .calendar && calendar.timestampText == nil && calendar.timestampFeatureCount == 6)
        var bad = ForecastFixtures.tinyConfiguration(timestamps: true)
        bad.timestampSource = .llmText
        #expect(throws: ForecastError.self) { try bad.validate() }

        let directory = ForecastFixtures.temporaryDirectory()
        let tokenizer = try ForecastFixtures.tinyTokenizerFolder()
        defer { try? FileManager.default.removeItem(at: directory); try? FileManager.default.removeItem(at: tokenizer) }
        let table = ForecastFixtures.seasonalTable(rows: 120)
        let rows = (0..<table.length).map { "\(Timestamp.format(table.timestamps![$0])),\(table.values[0][$0])" }
        let input = directory.appendingPathComponent("in.csv")
        try ("date,a\n" + rows.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let backbone = try TestFixtures.url("gpt2-tiny").path
        for (extra, expected) in [(["--backbone", backbone, "--tokenizer", tokenizer.path], TimestampSource.llmText),
                                  (["--width", "16", "--layers", "1", "--heads", "2"], .calendar)] {
            let model = directory.appendingPathComponent("model-\(expected.rawValue)").path
            try TrainCommand.parse(["--input", input.path, "--output", model, "--timestamps", "--segment", "4", "--lookback", "16",
                                    "--steps", "2", "--batch-size", "4"] + extra).run()
            let loaded = try Forecaster.load(from: URL(fileURLWithPath: model))
            #expect(loaded.configuration.timestampSource == expected)
            try PredictCommand.parse(["--input", input.path, "--model", model, "--horizon", "5", "-o",
                                      directory.appendingPathComponent("out.csv").path, "--samples", "2"]).run()
            // The band's backtests need the dates too.
            let csv = try String(contentsOf: directory.appendingPathComponent("out.csv"), encoding: .utf8)
            #expect(csv.hasPrefix("date,a,a_lower,a_upper\n") && csv.split(separator: "\n").count == 6)
        }
    }
}
