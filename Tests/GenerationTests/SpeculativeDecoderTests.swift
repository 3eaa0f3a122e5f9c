import Generation
import NeuralNetworks
import Testing
import Tensors

/// Speculative decoding keeps the target's output: exactly under greedy decoding, in
/// distribution under sampling.
struct SpeculativeDecoderTests {
    static func model(seed: UInt64, layers: Int, vocabulary: Int = 40) throws -> DecoderTransformer {
        var c = DecoderConfiguration()
        (c.vocabularySize, c.contextLength, c.hiddenSize, c.layerCount, c.headCount) = (vocabulary, 128, 16, layers, 2)
        var generator = SeededGenerator(seed: seed)
        let model = try DecoderTransformer(configuration: c, generator: &generator)
        // Sharper logits than the default init, so greedy paths are far from ties.
        for (name, parameter) in model.namedParameters() where name == "embedding.weight" { parameter.value.scaleInPlace(40) }
        return model
    }

    @Test(arguments: [1, 3, 6])
    func greedyOutputIsTheTargetsOwn(lookahead: Int) throws {
        let target = try Self.model(seed: 1, layers: 2), draft = try Self.model(seed: 2, layers: 1)
        var settings = GenerationSettings()
        settings.mode = .greedy
        settings.maxNewTokens = 30
        let prompt = [3, 9, 27, 1]
        let reference = try TokenGenerator(model: target).generate(prompt: prompt, settings: settings).tokens
        let decoder = try SpeculativeDecoder(target: target, draft: draft, policy: .draftThenVerify(lookahead: lookahead))
        let (result, statistics) = try decoder.generate(prompt: prompt, maxNewTokens: 30)
        #expect(result.tokens == reference)
        #expect(statistics.targetCalls <= 30)
        // The target as its own draft accepts everything: one target call per lookahead + 1 tokens.
        let selfDraft = try SpeculativeDecoder(target: target, draft: target, policy: .draftThenVerify(lookahead: lookahead))
        let (same, perfect) = try selfDraft.generate(prompt: prompt, maxNewTokens: 30)
        #expect(same.tokens == reference)
        #expect(perfect.acceptanceRate == 1)
        #expect(perfect.targetCalls == (30 + lookahead) / (lookahead + 1))
    }

    @Test func sampledTokensFollowTheTargetDistribution() throws {
        // First generated token: its frequency over many seeds must match the target's softmax.
        let vocabulary = 6
        let target = try Self.model(seed: 3, layers: 1, vocabulary: vocabulary), draft = try Self.model(seed: 4, layers: 1, vocabulary: vocabulary)
        for (_, p) in target.namedParameters() where p.shape == [vocabulary, 16] { p.value.scaleInPlace(1 / 40) }
        var state = [target.makeState()]
        let prompt = [1, 2, 3]
        let logits = try target.logits(appending: [prompt], to: &state)[0].last!
        let peak = logits.max()!
        let weights = logits.map { Foundation.exp(Double($0 - peak)) }
        let expected = weights.map { $0 / weights.reduce(0, +) }
        let decoder = try SpeculativeDecoder(target: target, draft: draft, policy: .draftThenVerify(lookahead: 3))
        let draws = 3000
        var counts = [Int](repeating: 0, count: vocabulary)
        for seed in 0..<draws {
            let token = try decoder.generate(prompt: prompt, maxNewTokens: 1, temperature: 1, seed: UInt64(seed)).result.tokens[0]
            counts[token] += 1
        }
        // 5 binomial standard deviations per token.
        for token in 0..<vocabulary {
            let p = expected[token], observed = Double(counts[token]) / Double(draws)
            #expect(abs(observed - p) <= 5 * (p * (1 - p) / Double(draws)).squareRoot() + 1e-9, "token \(token): \(observed) vs \(p)")
        }
    }

    @Test func bigLittleFallsBackAndRollsBack() throws {
        let target = try Self.model(seed: 1, layers: 2), draft = try Self.model(seed: 2, layers: 1)
        // A rollback threshold of ~0 nats accepts only tokens the target is certain of, and a
        // fallback threshold near 1 hands every token to the target: both give its greedy output.
        var settings = GenerationSettings()
        settings.mode = .greedy
        settings.maxNewTokens = 20
        let reference = try TokenGenerator(model: target).generate(prompt: [5, 6], settings: settings).tokens
        let strict = try SpeculativeDecoder(target: target, draft: draft, policy: .bigLittle(fallbackThreshold: 0.999_999, rollbackThreshold: 1e-9, maximumRun: 4))
        #expect(try strict.generate(prompt: [5, 6], maxNewTokens: 20).result.tokens == reference)
        let loose = try SpeculativeDecoder(target: target, draft: draft, policy: .bigLittle(fallbackThreshold: 0.01, rollbackThreshold: 100, maximumRun: 4))
        let (result, statistics) = try loose.generate(prompt: [5, 6], maxNewTokens: 20)
        #expect(result.tokens.count == 20 && statistics.acceptanceRate == 1)
        #expect(throws: GenerationError.self) { try SpeculativeDecoder(target: target, draft: draft, policy: .draftThenVerify(lookahead: 0)) }
        #expect(throws: GenerationError.self) { try SpeculativeDecoder(target: target, draft: try Self.model(seed: 9, layers: 1, vocabulary: 41)) }
    }
}

import Foundation
