import Autograd
import Foundation
import ImageGeneration
import Tensors
import Testing
import Training

/// AR and MLM generators: losses, sampling, guidance, bad input.
struct GeneratorTests {
    static func tiny(_ kind: GeneratorConfiguration.Kind) -> GeneratorConfiguration {
        var c = GeneratorConfiguration()
        c.kind = kind
        c.classCount = 3
        c.positionCount = 4
        c.subTokenCount = 2
        c.subVocabularySize = 5
        c.decoder.contextLength = 5
        c.decoder.hiddenSize = 16
        c.decoder.layerCount = 1
        c.decoder.headCount = 2
        return c
    }

    @Test(arguments: GeneratorConfiguration.Kind.allCases)
    func samplingGivesValidGridsReproducibly(kind: GeneratorConfiguration.Kind) throws {
        var g = SeededGenerator(seed: 1)
        let model = try ImageTokenModel(configuration: Self.tiny(kind), generator: &g)
        for scale: Float in [1, 3] {
            var settings = SamplingSettings()
            settings.guidance = GuidanceSchedule(scale: scale, kind: .linear)
            settings.topK = 3
            settings.steps = 3
            var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
            let first = try model.sample(classes: [0, 2, 1], settings: settings, generator: &a)
            #expect(first.count == 3 && first.allSatisfy { $0.count == 8 })
            #expect(first.joined().allSatisfy { $0 >= 0 && $0 < 5 })
            #expect(try model.sample(classes: [0, 2, 1], settings: settings, generator: &b) == first)
            let other = try (0..<5).map { _ in try model.sample(classes: [0, 2, 1], settings: settings, generator: &c) }
            #expect(other.contains { $0 != first })
        }
    }

    @Test(arguments: GeneratorConfiguration.Kind.allCases)
    func trainingLearnsAFixedGrid(kind: GeneratorConfiguration.Kind) throws {
        // Each class always has the same grid; a trained model must sample it at low temperature.
        var g = SeededGenerator(seed: 2)
        var configuration = Self.tiny(kind)
        configuration.classDropout = 0
        let model = try ImageTokenModel(configuration: configuration, generator: &g)
        let grids = [[0, 1, 2, 3, 4, 0, 1, 2], [4, 4, 3, 3, 2, 2, 1, 1], [1, 0, 1, 0, 1, 0, 1, 0]]
        var training = TrainingConfiguration()
        training.steps = 150
        training.warmupSteps = 5
        training.learningRate = 1e-2
        training.checkpointInterval = 0
        let history = try model.train(tokens: grids, labels: [0, 1, 2], batchSize: 6, training: training, progress: { _ in })
        #expect(history.last!.trainingLoss < 0.1, "loss \(history.last!.trainingLoss)")
        var settings = SamplingSettings()
        settings.temperature = 0.05
        settings.guidance = GuidanceSchedule(scale: 1)
        settings.steps = 4
        var s = SeededGenerator(seed: 3)
        #expect(try model.sample(classes: [0, 1, 2], settings: settings, generator: &s) == grids)
    }

    @Test func linearGuidanceScheduleValues() {
        let linear = GuidanceSchedule(scale: 3, kind: .linear)
        #expect(linear.value(step: 0, of: 5) == 1)
        #expect(linear.value(step: 2, of: 5) == 2)
        #expect(linear.value(step: 4, of: 5) == 3)
        #expect(linear.value(step: 0, of: 1) == 3)
        #expect(GuidanceSchedule(scale: 3, kind: .constant).value(step: 0, of: 5) == 3)
        #expect(!GuidanceSchedule(scale: 1).isActive && GuidanceSchedule(scale: 0).isActive)
    }

    @Test func topKAndTemperature() throws {
        var settings = SamplingSettings()
        settings.topK = 1
        var g = SeededGenerator(seed: 4)
        let logits: [Float] = [0.1, 2, 1.9, -1]
        for _ in 0..<20 {
            #expect(try settings.sample(logits, generator: &g).index == 1)
        }
        settings.topK = 2
        settings.temperature = 0.5
        var seen = Set<Int>()
        for _ in 0..<200 { seen.insert(try settings.sample(logits, generator: &g).index) }
        #expect(seen == [1, 2])
        // Statistical check, temperature 1 and no top-k: frequency of index 1 near softmax (tolerance 0.05, 4000 draws).
        settings = SamplingSettings()
        let total = logits.map { Foundation.exp(Double($0)) }.reduce(0, +)
        var hits = 0
        for _ in 0..<4000 where try settings.sample(logits, generator: &g).index == 1 { hits += 1 }
        #expect(abs(Double(hits) / 4000 - Foundation.exp(2) / total) < 0.05)
    }

    @Test func rejectsBadInput() throws {
        var g = SeededGenerator(seed: 5)
        let model = try ImageTokenModel(configuration: Self.tiny(.autoregressive), generator: &g)
        #expect(throws: ImageDataError.self) { try model.sample(classes: [3], settings: SamplingSettings(), generator: &g) }
        var settings = SamplingSettings()
        settings.temperature = 0
        #expect(throws: ImageDataError.self) { try model.sample(classes: [0], settings: settings, generator: &g) }
        #expect(throws: ImageDataError.self) { try model.loss(classes: [0], tokens: [[0, 1, 2]], generator: &g) }
        #expect(throws: ImageDataError.self) { try model.loss(classes: [0], tokens: [[0, 1, 2, 3, 4, 5, 6, 7]].map { $0.map { $0 + 1 } }, generator: &g) }
        var bad = Self.tiny(.masked)
        bad.decoder.contextLength = 3
        #expect(throws: ImageDataError.self) { try ImageTokenModel(configuration: bad, generator: &g) }
    }

    @Test func generatorMustMatchTokenizer() throws {
        var g = SeededGenerator(seed: 6)
        let tokenizer = try ImageTokenizer(configuration: TokenizerTests.tiny(.binary), generator: &g)
        let wrong = try ImageTokenModel(configuration: Self.tiny(.autoregressive), generator: &g)
        #expect(throws: ImageDataError.self) { try ImageGenerator(tokenizer: tokenizer, model: wrong) }
        let right = try ImageTokenModel(configuration: GeneratorConfiguration(kind: .autoregressive, tokenizer: tokenizer.configuration, classCount: 2,
                                                                             hiddenSize: 16, layerCount: 1, headCount: 2), generator: &g)
        let generator = try ImageGenerator(tokenizer: tokenizer, model: right)
        let images = try generator.generate(classes: [0, 1, 1], settings: SamplingSettings(), seed: 7)
        #expect(images.count == 3 && images.allSatisfy { $0.width == 8 && $0.height == 8 })
    }
}
