import Autograd
import Foundation
import NeuralNetworks
import Testing
import Tensors

/// `DecoderConfiguration.dropout`: on in training steps only, seeded, and the identity elsewhere.
struct DropoutTests {
    static func model(_ flavor: DecoderConfiguration.Flavor, dropout: Float) throws -> DecoderTransformer {
        var configuration = DecoderTransformerTests.tinyConfiguration(flavor)
        configuration.dropout = dropout
        var generator = SeededGenerator(seed: 3)
        return try DecoderTransformer(configuration: configuration, generator: &generator)
    }

    let tokens = [[1, 5, 9, 2, 7, 3], [4, 4, 8, 1, 0, 6]]

    @Test(arguments: [DecoderConfiguration.Flavor.gpt2, .llama])
    func dropoutActsOnlyInTrainingSteps(flavor: DecoderConfiguration.Flavor) throws {
        let plain = try Self.model(flavor, dropout: 0), dropping = try Self.model(flavor, dropout: 0.3)
        // Same weights (same seed): outside a training step the two models agree exactly.
        let reference = try plain.logits(tokens: tokens).value.scalars
        #expect(try dropping.logits(tokens: tokens).value.scalars == reference)

        var first = SeededGenerator(seed: 11), second = SeededGenerator(seed: 11), third = SeededGenerator(seed: 12)
        let a = try dropping.trainingStep(using: &first) { try dropping.logits(tokens: tokens).value.scalars }
        let b = try dropping.trainingStep(using: &second) { try dropping.logits(tokens: tokens).value.scalars }
        let c = try dropping.trainingStep(using: &third) { try dropping.logits(tokens: tokens).value.scalars }
        #expect(a != reference)          // masks applied
        #expect(a == b)                  // seeded: the same draw gives the same masks
        #expect(a != c)
        #expect(dropping.trainingGenerator == nil)
        #expect(try dropping.logits(tokens: tokens).value.scalars == reference)   // off again after the step

        // Without dropout a training step draws nothing and changes nothing.
        var untouched = SeededGenerator(seed: 11)
        let d = try plain.trainingStep(using: &untouched) { try plain.logits(tokens: tokens).value.scalars }
        var fresh = SeededGenerator(seed: 11)
        #expect(d == reference && untouched.next() == fresh.next())
    }

    @Test func incrementalDecodingIgnoresTheTrainingGenerator() throws {
        let model = try Self.model(.llama, dropout: 0.5)
        let full = try model.logits(tokens: [tokens[0]]).value.scalars
        model.trainingGenerator = SeededGenerator(seed: 1)
        defer { model.trainingGenerator = nil }
        let cache = model.makeCache()
        let cached = try model.hiddenStates(.tokens([tokens[0]]), caches: [cache])
        let logits = try model.logits(fromHidden: cached).value.scalars
        #expect(zip(full, logits).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    /// With the masks fixed by the step's seed, the loss is a deterministic function of the
    /// weights: its gradient (through the dropped layers) matches central differences.
    @Test func gradientsThroughDropoutMatchFiniteDifferences() throws {
        let model = try Self.model(.gpt2, dropout: 0.4)
        let targets = tokens.flatMap { $0.map { ($0 + 1) % 50 } }
        func loss() throws -> Variable {
            var generator = SeededGenerator(seed: 5)
            return try model.trainingStep(using: &generator) {
                try model.logits(tokens: tokens).reshaped([-1, 50]).crossEntropy(targets: targets)
            }
        }
        let weight = model.blocks[0].feedForward.parameters.first { $0.value.rank == 2 }!
        try loss().backward()
        let analytic = try #require(weight.grad).scalars
        var checked = 0
        for index in stride(from: 0, to: weight.value.count, by: max(1, weight.value.count / 12)) {
            let original = weight.value.scalars
            func shifted(_ delta: Float) throws -> Float {
                var values = original
                values[index] += delta
                weight.value = Tensor(shape: weight.value.shape, values: values)
                defer { weight.value = Tensor(shape: weight.value.shape, values: original) }
                return try Tape.withoutGradient { try loss().value.scalar }
            }
            let numeric = (try shifted(1e-2) - shifted(-1e-2)) / 2e-2
            #expect(abs(numeric - analytic[index]) <= 2e-3 + 0.05 * abs(numeric), "weight \(index): \(numeric) vs \(analytic[index])")
            checked += 1
        }
        #expect(checked >= 10 && analytic.contains { $0 != 0 })
    }
}
