import Foundation
import Generation
import NeuralNetworks
import Testing
import Tensors

/// Speculative decoding under logits processors: the draft proposes and the target verifies
/// under the same processed distribution, so greedy output equals the processed target's and
/// sampled output follows it, including processors that depend on the context.
struct SpeculativeProcessorTests {
    /// Forbids repeating the previous token: its mask depends on the exact context.
    struct NoRepeat: LogitsProcessor {
        func process(_ logits: inout [Float], context: [Int]) throws {
            if let last = context.last { logits[last] = -.infinity }
        }
    }

    @Test(arguments: [1, 3, 5])
    func greedyWithProcessorsEqualsPlainGeneration(lookahead: Int) throws {
        let target = try SpeculativeDecoderTests.model(seed: 11, layers: 2), draft = try SpeculativeDecoderTests.model(seed: 12, layers: 1)
        var settings = GenerationSettings()
        settings.mode = .greedy
        settings.maxNewTokens = 40
        settings.bannedTokens = [0, 7]
        let processors = [LogitsProcessorFactory(NoRepeat())]
        let prompt = [5, 9, 2]
        let reference = try TokenGenerator(model: target).generate(prompt: prompt, settings: settings, processors: processors)
        let decoder = try SpeculativeDecoder(target: target, draft: draft, policy: .draftThenVerify(lookahead: lookahead))
        let (result, _) = try decoder.generate(prompt: prompt, settings: settings, processors: processors)
        #expect(result.tokens == reference.tokens)
        #expect(!zip(result.tokens, result.tokens.dropFirst()).contains { $0 == $1 })
        #expect(!result.tokens.contains(0) && !result.tokens.contains(7))
    }

    @Test func sampledPairsFollowTheProcessedTargetDistribution() throws {
        let vocabulary = 6
        let target = try SpeculativeDecoderTests.model(seed: 13, layers: 1, vocabulary: vocabulary)
        let draft = try SpeculativeDecoderTests.model(seed: 14, layers: 1, vocabulary: vocabulary)
        for model in [target, draft] {
            for (_, p) in model.namedParameters() where p.shape == [vocabulary, 16] { p.value.scaleInPlace(1 / 40) }
        }
        var settings = GenerationSettings()
        settings.maxNewTokens = 2
        settings.topK = 3
        let processors = [LogitsProcessorFactory(NoRepeat())]
        let prompt = [1, 2, 3]
        // The processed target distribution of the first two tokens.
        func processed(_ context: [Int]) throws -> [Double] {
            var state = [target.makeState()]
            var logits = try target.logits(appending: [context], to: &state)[0].last!
            try NoRepeat().process(&logits, context: context)
            let kept = Set(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(3))
            let weights = logits.indices.map { kept.contains($0) && logits[$0] > -.infinity ? Foundation.exp(Double(logits[$0])) : 0 }
            let total = weights.reduce(0, +)
            return weights.map { $0 / total }
        }
        let first = try processed(prompt)
        var expected = [Double](repeating: 0, count: vocabulary * vocabulary)
        for a in 0..<vocabulary where first[a] > 0 {
            let second = try processed(prompt + [a])
            for b in 0..<vocabulary { expected[a * vocabulary + b] = first[a] * second[b] }
        }
        let decoder = try SpeculativeDecoder(target: target, draft: draft, policy: .draftThenVerify(lookahead: 2))
        let draws = 3000
        var counts = [Int](repeating: 0, count: vocabulary * vocabulary)
        for seed in 0..<draws {
            settings.seed = UInt64(seed)
            let tokens = try decoder.generate(prompt: prompt, settings: settings, processors: processors).result.tokens
            try #require(tokens.count == 2)
            counts[tokens[0] * vocabulary + tokens[1]] += 1
        }
        for pair in expected.indices {
            let p = expected[pair], observed = Double(counts[pair]) / Double(draws)
            #expect(abs(observed - p) <= 5 * (p * (1 - p) / Double(draws)).squareRoot() + 1e-9, "pair \(pair): \(observed) vs \(p)")
        }
    }

    @Test func beamSearchIsRefused() throws {
        let target = try SpeculativeDecoderTests.model(seed: 1, layers: 1)
        var settings = GenerationSettings()
        settings.mode = .beamSearch
        #expect(throws: GenerationError.self) {
            try SpeculativeDecoder(target: target, draft: target).generate(prompt: [1], settings: settings)
        }
    }
}
