import Autograd
import Foundation
import NeuralNetworks
import Testing
import Tensors
import TestSupport

/// LoRA adapters: no-op at start, train alone, merge exactly, save and load separately.
struct LoRATests {
    static let tokens = [[3, 17, 4, 42, 8, 1]]

    @Test func zeroUpMatrixLeavesOutputsUnchanged() throws {
        let model = try DecoderTransformerTests.tinyModel(.llama, keyValueHeads: 2)
        let before = try Tape.withoutGradient { try model.logits(tokens: Self.tokens).value.scalars }
        let paths = try LoRA.attach(to: model, rank: 4, alpha: 8)
        #expect(paths.count == 2 * 5 + 1)  // qkv, output, up, gate, down in each of 2 blocks, and the untied head
        #expect(try Tape.withoutGradient { try model.logits(tokens: Self.tokens).value.scalars } == before)
    }

    @Test func onlyAdaptersTrainAndMergingKeepsTheFunction() throws {
        let model = try DecoderTransformerTests.tinyModel(.gpt2)
        try LoRA.attach(to: model, rank: 2, alpha: 4, targets: { $0.hasSuffix("attention.qkv") || $0.hasSuffix("feedForward.up") })
        let trainable = model.trainableParameters().map(\.name)
        #expect(!trainable.isEmpty && trainable.allSatisfy { $0.contains(".adapter.") })
        // A few plain SGD steps move the adapters (B leaves zero) and nothing else.
        let frozen = model.namedParameters().filter { !$0.name.contains(".adapter.") }.map { $0.variable.value.scalars }
        for _ in 0..<3 {
            let loss = try model.logits(tokens: Self.tokens).reshaped([-1, 50]).crossEntropy(targets: [17, 4, 42, 8, 1, 3])
            model.zeroGradients()
            try loss.backward()
            for (_, p) in model.trainableParameters() { try p.value.addInPlace(p.grad!, scale: -0.5) }
        }
        #expect(model.namedParameters().filter { !$0.name.contains(".adapter.") }.map { $0.variable.value.scalars } == frozen)
        #expect(model.trainableParameters().contains { $0.name.hasSuffix("adapter.up") && $0.variable.value.scalars.contains { $0 != 0 } })
        let unmerged = try Tape.withoutGradient { try model.logits(tokens: Self.tokens).value.scalars }
        // Save the adapters alone, load them into a fresh copy of the base model: same outputs.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lora-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try LoRA.saveAdapters(of: model, to: url, rank: 2, alpha: 4)
        let fresh = try DecoderTransformerTests.tinyModel(.gpt2)
        try LoRA.loadAdapters(into: fresh, from: url)
        #expect(try Tape.withoutGradient { try fresh.logits(tokens: Self.tokens).value.scalars } == unmerged)
        try LoRA.merge(model)
        #expect(model.namedModules().allSatisfy { ($0.module as? Linear)?.adapter == nil })
        let merged = try Tape.withoutGradient { try model.logits(tokens: Self.tokens).value.scalars }
        expectClose(merged, unmerged, rtol: 1e-4, atol: 1e-5)
    }

    @Test func adaptersStillApplyAfterInt8Quantisation() throws {
        let model = try DecoderTransformerTests.tinyModel(.gpt2)
        try LoRA.attach(to: model, rank: 2, alpha: 4)
        for (_, p) in model.trainableParameters() where p.shape.count == 2 { p.value.scaleInPlace(0); try p.value.addInPlace(Tensor(shape: p.shape, values: (0..<p.value.count).map { Float($0 % 7 - 3) * 0.1 }), scale: 1) }
        let adapted = try Tape.withoutGradient { try model.logits(tokens: Self.tokens).value.scalars }
        try model.quantizeInt8()
        let quantized = try Tape.withoutGradient { try model.logits(tokens: Self.tokens).value.scalars }
        for (_, module) in model.namedModules() { (module as? Linear)?.adapter = nil }
        let withoutAdapters = try Tape.withoutGradient { try model.logits(tokens: Self.tokens).value.scalars }
        // int8 weights move the logits a little; dropping the adapters moves them far more.
        let quantisationError = zip(quantized, adapted).map { abs($0 - $1) }.max()!
        let adapterEffect = zip(withoutAdapters, adapted).map { abs($0 - $1) }.max()!
        #expect(quantisationError < 0.1 * adapterEffect, "int8 error \(quantisationError), adapter effect \(adapterEffect)")
    }

    @Test func adapterGradientsMatchFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 5)
        let layer = Linear(inputSize: 6, outputSize: 4, generator: &generator)
        layer.adapter = LowRankAdapter(inputSize: 6, outputSize: 4, rank: 2, alpha: 3, generator: &generator)
        try layer.adapter!.up.value.copyInPlace(from: randomTensor([4, 2], seed: 6))
        let x = Variable(randomTensor([3, 6], seed: 7), requiresGradient: true)
        let report = try GradientCheck.run(inputs: [x, layer.adapter!.down, layer.adapter!.up]) { _ in try layer(x) }
        #expect(report.passed, "\(report)")
    }
}
