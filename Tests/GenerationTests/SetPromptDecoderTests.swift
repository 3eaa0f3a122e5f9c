import Generation
import NeuralNetworks
import Testing
import Tensors

/// Generation from a set prompt does not depend on the order of the set's members.
struct SetPromptDecoderTests {
    /// A small model with moderately peaked logits, so sampled continuations vary.
    static func model(seed: UInt64) throws -> DecoderTransformer {
        let model = try SpeculativeDecoderTests.model(seed: seed, layers: 2)
        for (name, parameter) in model.namedParameters() where name == "embedding.weight" { parameter.value.scaleInPlace(0.1) }
        return model
    }

    @Test func everyOrderGivesTheSameTokensAndPrefillMatches() throws {
        let model = try Self.model(seed: 21)
        var settings = GenerationSettings()
        settings.maxNewTokens = 12
        settings.temperature = 0.9
        settings.seed = 4
        let members = [[4, 5], [8], [11, 12, 13]]
        var outputs: [[[Int]]] = []
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let set = SetPrompt(prefix: [1], members: order.map { members[$0] }, suffix: [2])
            let decoder = try SetPromptDecoder(model, set)
            let results = try TokenGenerator(model: decoder).generate(prompts: Array(repeating: decoder.tokens, count: 3), settings: settings)
            outputs.append(results.map(\.tokens))
            // The first step's logits are those of the set prefill.
            var states = [decoder.makeState()]
            let first = try decoder.logits(appending: [decoder.tokens], to: &states)[0].last!
            #expect(first == (try model.prefill(set).logits))
        }
        #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
        // Sequence i of the batch is seeded seed + i, so the three rows differ.
        #expect(Set(outputs[0]).count > 1)
        // Control: the same members read as one ordered prompt give different logits per order.
        let plain = try [[0, 1, 2], [2, 1, 0]].map { order in
            var states = [model.makeState()]
            return try model.logits(appending: [[1] + order.flatMap { members[$0] } + [2]], to: &states)[0].last!
        }
        #expect(plain[0] != plain[1])
    }

    @Test func decodingAfterTheSetContinuesFromTheRightPosition() throws {
        // Greedy continuation through the decoder equals stepping the prefilled cache by hand.
        let model = try SpeculativeDecoderTests.model(seed: 22, layers: 2)
        let set = SetPrompt(prefix: [3], members: [[6, 7], [9]], suffix: [2])
        var settings = GenerationSettings()
        settings.mode = .greedy
        settings.maxNewTokens = 6
        let decoder = try SetPromptDecoder(model, set)
        let tokens = try TokenGenerator(model: decoder).generate(prompt: decoder.tokens, settings: settings).tokens
        var (logits, cache) = try model.prefill(set)
        var states = [cache]
        var manual: [Int] = []
        for _ in 0..<6 {
            let next = logits.indices.max { logits[$0] < logits[$1] }!
            manual.append(next)
            logits = try model.logits(appending: [[next]], to: &states)[0][0]
        }
        cache = states[0]
        #expect(tokens == manual)
        #expect(cache.nextPosition == 1 + 2 + 1 + 6)
    }
}
