import Foundation
import Generation
import NeuralNetworks
import Testing
import TestSupport

/// The generator driving the real transformer: Hugging Face greedy references, batching
/// and seeded sampling.
struct TransformerGenerationTests {
    struct Reference: Decodable {
        struct Greedy: Decodable { let input_ids: [Int]; let new_tokens: [Int] }
        let greedy: Greedy
    }

    @Test(arguments: ["gpt2-tiny", "llama-tiny"])
    func greedyGenerationMatchesHuggingFace(folder: String) throws {
        let model = try DecoderTransformer.load(from: TestFixtures.url("\(folder)"))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: TestFixtures.url("\(folder)/reference.json")))
        var settings = GenerationSettings()
        settings.mode = .greedy
        settings.maxNewTokens = reference.greedy.new_tokens.count
        var streamed: [Int] = []
        let result = try TokenGenerator(model: model).generate(prompt: reference.greedy.input_ids, settings: settings) { token in
            streamed.append(token)
            return true
        }
        #expect(result.tokens == reference.greedy.new_tokens)
        #expect(streamed == reference.greedy.new_tokens)
    }

    @Test func batchedSamplingEqualsOneByOneAndIsSeeded() throws {
        let model = try DecoderTransformer.load(from: TestFixtures.url("llama-tiny"))
        var settings = GenerationSettings()
        settings.mode = .sampling
        settings.maxNewTokens = 12
        settings.temperature = 0.8
        settings.topK = 50
        settings.seed = 42
        let prompts = [[1, 2, 3], [7, 8, 9], [400, 5, 6]]
        let generator = TokenGenerator(model: model)
        let batched = try generator.generate(prompts: prompts, settings: settings).map(\.tokens)
        for (index, prompt) in prompts.enumerated() {
            var single = settings
            single.seed = settings.seed(forSequence: index)
            #expect(try generator.generate(prompt: prompt, settings: single).tokens == batched[index])
        }
        #expect(try generator.generate(prompts: prompts, settings: settings).map(\.tokens) == batched)
        settings.seed = 43
        #expect(try generator.generate(prompts: prompts, settings: settings).map(\.tokens) != batched)
    }

    @Test func beamSearchOfOneIsGreedy() throws {
        let model = try DecoderTransformer.load(from: TestFixtures.url("gpt2-tiny"))
        var settings = GenerationSettings()
        settings.mode = .greedy
        settings.maxNewTokens = 8
        let greedy = try TokenGenerator(model: model).generate(prompt: [5, 6, 7], settings: settings).tokens
        settings.mode = .beamSearch
        settings.beamCount = 1
        let beams = try BeamSearch(model: model).search(prompt: [5, 6, 7], settings: settings)
        #expect(beams.first?.tokens == greedy)
        settings.beamCount = 4
        let wide = try BeamSearch(model: model).search(prompt: [5, 6, 7], settings: settings)
        // A wider beam never finds a worse best score than the beam of one.
        #expect(wide[0].score >= beams[0].score - 1e-9)
    }
}
