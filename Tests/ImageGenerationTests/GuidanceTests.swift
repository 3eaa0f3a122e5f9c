import Autograd
import Generation
@testable import ImageGeneration
import Tensors
import Testing

/// The image samplers guide with Generation's formula, l = u + s (c - u) (GuidedDecoder), and
/// draw with Generation's processors and categorical sampler.
struct GuidanceTests {
    static let scale: Float = 8

    static func settings() -> SamplingSettings {
        var settings = SamplingSettings()
        settings.guidance = GuidanceSchedule(scale: scale, kind: .constant)
        settings.temperature = 0.8
        settings.topK = 4
        settings.steps = 1
        return settings
    }

    static func processors() throws -> LogitsProcessorChain {
        LogitsProcessorChain([try TemperatureProcessor(temperature: 0.8), try TopKProcessor(k: 4)])
    }

    /// Each head's logits from a full (uncached) forward pass: `[B * V]` at slot `slot` (AR,
    /// causal), or `[B * positions * V]` at every position slot (`mask`: bidirectional, MaskGIT).
    static func headLogits(_ model: ImageTokenModel, classes: [Int], tokens: [[Int]], slot: Int? = nil, mask: Bool) throws -> [[Float]] {
        let c = model.configuration, input = try model.inputEmbeddings(classes: classes, tokens: tokens)
        let length = input.value.shape[1]
        let hidden = try model.transformer.hiddenStates(.embeddings(input), mask: mask ? ImageTokenModel.fullMask(batch: classes.count, length: length) : nil)
        let range = slot.map { $0..<($0 + 1) } ?? 1..<length
        let rows = try hidden.sliced(axis: 1, range: range).reshaped([classes.count * range.count, c.decoder.hiddenSize])
        return try model.headLogits(rows).map { $0.value.scalars }
    }

    /// GuidedDecoder's formula written out: u + s (c - u) on row `row` of one head.
    static func guided(_ conditional: [Float], _ unconditional: [Float], row: Int, vocabulary v: Int) -> [Float] {
        (0..<v).map { i in
            let c = conditional[row * v + i], u = unconditional[row * v + i]
            return u + scale * (c - u)
        }
    }

    @Test func autoregressiveSamplerGuidesLikeGuidedDecoder() throws {
        var g = SeededGenerator(seed: 11)
        let model = try ImageTokenModel(configuration: GeneratorTests.tiny(.autoregressive), generator: &g)
        let c = model.configuration, classes = [0, 2, 1, 1, 0, 2]
        var stream = SeededGenerator(seed: 12)
        let sampled = try model.sample(classes: classes, settings: Self.settings(), generator: &stream)

        // Reference: conditional and unconditional runs as separate uncached passes.
        var sampler = CategoricalSampler(seed: 12)
        let processors = try Self.processors()
        var tokens = classes.map { _ in [Int]() }
        for position in 0..<c.positionCount {
            let conditional = try Self.headLogits(model, classes: classes, tokens: tokens, slot: position, mask: false)
            let unconditional = try Self.headLogits(model, classes: classes.map { _ in model.nullClass }, tokens: tokens, slot: position, mask: false)
            for row in classes.indices {
                for slot in 0..<c.subTokenCount {
                    var logits = Self.guided(conditional[slot], unconditional[slot], row: row, vocabulary: c.subVocabularySize)
                    try processors.process(&logits, context: [])
                    tokens[row].append(try sampler.sample(from: logits))
                }
            }
        }
        #expect(sampled == tokens)
        #expect(stream.next() == sampler.generator.next())
    }

    @Test func maskedSamplerGuidesLikeGuidedDecoder() throws {
        var g = SeededGenerator(seed: 13)
        let model = try ImageTokenModel(configuration: GeneratorTests.tiny(.masked), generator: &g)
        let c = model.configuration, classes = [1, 0, 2, 2], n = c.positionCount
        var stream = SeededGenerator(seed: 14)
        // One decoding step fills every position with its drawn values.
        let sampled = try model.sample(classes: classes, settings: Self.settings(), generator: &stream)

        var sampler = CategoricalSampler(seed: 14)
        let processors = try Self.processors()
        let masked = classes.map { _ in [Int](repeating: model.maskToken, count: n * c.subTokenCount) }
        var tokens = masked
        let conditional = try Self.headLogits(model, classes: classes, tokens: masked, mask: true)
        let unconditional = try Self.headLogits(model, classes: classes.map { _ in model.nullClass }, tokens: masked, mask: true)
        for row in classes.indices {
            for position in 0..<n {
                for slot in 0..<c.subTokenCount {
                    var logits = Self.guided(conditional[slot], unconditional[slot], row: row * n + position, vocabulary: c.subVocabularySize)
                    try processors.process(&logits, context: [])
                    tokens[row][position * c.subTokenCount + slot] = try sampler.sample(from: logits)
                }
                _ = sampler.generator.next()   // the Gumbel noise of the position's confidence
            }
        }
        #expect(sampled == tokens)
        #expect(stream.next() == sampler.generator.next())
    }
}
