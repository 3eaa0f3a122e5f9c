import Generation
import NeuralNetworks
import Testing
import Tensors

/// Classifier-free guidance: logits are u + s (c - u) at every step, with both runs fed the
/// same generated tokens; scale 1 is the conditional model itself.
struct GuidedDecoderTests {
    @Test func logitsAreTheGuidedMixAtEveryStep() throws {
        let model = try SetPromptDecoderTests.model(seed: 31)
        let conditional = [1, 4, 5, 2], unconditional = [1, 2]
        let scale: Float = 2.5
        let guided = GuidedDecoder(model, unconditionalPrompt: unconditional, scale: scale)
        var states = [guided.makeState()]
        var c = [model.makeState()], u = [model.makeState()]
        var expectedC = try model.logits(appending: [conditional], to: &c)[0].last!
        var expectedU = try model.logits(appending: [unconditional], to: &u)[0].last!
        var got = try guided.logits(appending: [conditional], to: &states)[0].last!
        for next in [7, 9, 3] {
            let mix = zip(expectedC, expectedU).map { c, u in u + scale * (c - u) }
            for (a, b) in zip(got, mix) { #expect(abs(a - b) <= 1e-5) }
            got = try guided.logits(appending: [[next]], to: &states)[0][0]
            expectedC = try model.logits(appending: [[next]], to: &c)[0][0]
            expectedU = try model.logits(appending: [[next]], to: &u)[0][0]
        }
        #expect(guided.length(of: states[0]) == conditional.count + 3)
        // Truncating keeps the two runs aligned: re-appending gives the same logits.
        guided.truncate(&states[0], to: conditional.count + 1)
        let again = try guided.logits(appending: [[9]], to: &states)[0][0]
        var reference = [guided.makeState()]
        _ = try guided.logits(appending: [conditional], to: &reference)
        _ = try guided.logits(appending: [[7]], to: &reference)
        let fresh = try guided.logits(appending: [[9]], to: &reference)[0][0]
        for (a, b) in zip(again, fresh) { #expect(abs(a - b) <= 1e-5) }
    }

    @Test func scaleOneIsTheConditionalModelAndBatchesMatchSingles() throws {
        let model = try SetPromptDecoderTests.model(seed: 32)
        var settings = GenerationSettings()
        settings.maxNewTokens = 10
        settings.seed = 3
        let prompts = [[1, 4, 2], [1, 6, 8, 2]]
        let plain = try TokenGenerator(model: model).generate(prompts: prompts, settings: settings).map(\.tokens)
        let off = try TokenGenerator(model: GuidedDecoder(model, unconditionalPrompt: [1, 2], scale: 1)).generate(prompts: prompts, settings: settings).map(\.tokens)
        #expect(plain == off)
        let guided = GuidedDecoder(model, unconditionalPrompt: [1, 2], scale: 3)
        let batch = try TokenGenerator(model: guided).generate(prompts: prompts, settings: settings).map(\.tokens)
        var second = settings
        second.seed = settings.seed + 1
        let single = try TokenGenerator(model: guided).generate(prompt: prompts[1], settings: second).tokens
        #expect(batch[1] == single)
    }
}
