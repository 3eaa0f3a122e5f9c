import Autograd
import Foundation
import NeuralNetworks
import Testing
import Tensors
import TestSupport

/// An int8-quantised model stays close to its float original and holds a quarter of the bytes.
struct QuantizationTests {
    @Test(arguments: ["gpt2-tiny", "llama-tiny"])
    func quantizedModelTracksTheFloatModel(folder: String) throws {
        let model = try DecoderTransformer.load(from: TestFixtures.url("\(folder)"))
        let tokens = [[5, 99, 412, 7, 64, 3, 250]]
        let reference = try Tape.withoutGradient { try model.logits(tokens: tokens).value.scalars }
        let (before, after) = try model.quantizeInt8()
        #expect(Double(after) < 0.27 * Double(before))
        let quantized = try Tape.withoutGradient { try model.logits(tokens: tokens).value.scalars }
        // Error relative to the spread of the logits: a few percent at most for int8 weights.
        let mean = reference.reduce(0, +) / Float(reference.count)
        let spread = (reference.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(reference.count)).squareRoot()
        let worst = zip(quantized, reference).map { abs($0 - $1) }.max()!
        #expect(worst < 0.05 * spread * 4, "max |difference| \(worst), logit spread \(spread)")
        // Incremental decoding still equals recomputation on the quantised model.
        let cache = model.makeCache()
        _ = try model.hiddenStates(.tokens([Array(tokens[0].prefix(6))]), caches: [cache])
        let step = try model.logits(fromHidden: model.hiddenStates(.tokens([[tokens[0][6]]]), caches: [cache])).value.scalars
        expectClose(step, Array(quantized.suffix(1000)), rtol: 1e-4, atol: 1e-4)
        #expect(throws: ModelError.self) { try model.save(to: FileManager.default.temporaryDirectory.appendingPathComponent("q-\(UUID())")) }
    }
}
