import Autograd
import Foundation
import NeuralNetworks
import Testing
import Tensors
import TestSupport

/// Prepacking gives each prompt the logits, cache and continuation of prefilling it alone.
struct PrepackingTests {
    static let prompts: [[Int]] = [[5, 9, 2, 7, 1, 3, 8], [4, 4], [12, 30, 2], [7], [9, 8, 7, 6, 5], [11, 2, 40, 3]]

    @Test func firstFitDecreasingPlacement() throws {
        let batch = try PackedBatch(prompts: Self.prompts)
        // Capacity 7: [7 | 5+2 | 4+3 | 1 ... ] -> longest first: 7 -> row 0, 5 -> row 1, 4 -> row 2,
        // 3 -> row 2, 2 -> row 1, 1 -> row 3.
        #expect(batch.capacity == 7 && batch.tokens.count == 4)
        #expect(batch.placements[0] == .init(row: 0, offset: 0, length: 7))
        #expect(batch.placements[4] == .init(row: 1, offset: 0, length: 5))
        #expect(batch.placements[1] == .init(row: 1, offset: 5, length: 2))
        #expect(batch.placements[5] == .init(row: 2, offset: 0, length: 4))
        #expect(batch.placements[2] == .init(row: 2, offset: 4, length: 3))
        #expect(batch.placements[3] == .init(row: 3, offset: 0, length: 1))
        #expect(batch.positions[1] == [0, 1, 2, 3, 4, 0, 1])
        #expect(throws: ModelError.self) { try PackedBatch(prompts: [[1, 2, 3]], capacity: 2) }
        #expect(throws: ModelError.self) { try PackedBatch(prompts: [[1], []]) }
    }

    @Test(arguments: [DecoderConfiguration.Flavor.gpt2, .llama])
    func packedPrefillEqualsPrefillingAlone(flavor: DecoderConfiguration.Flavor) throws {
        let model = try DecoderTransformerTests.tinyModel(flavor, keyValueHeads: flavor == .llama ? 2 : nil)
        let (logits, caches) = try model.prefillPacked(Self.prompts)
        for (index, prompt) in Self.prompts.enumerated() {
            let alone = model.makeCache()
            let reference = try model.logits(fromHidden: model.hiddenStates(.tokens([prompt]), caches: [alone])).value
            let last = Array(reference.scalars.suffix(model.configuration.vocabularySize))
            expectClose(logits[index], last, rtol: 1e-5, atol: 1e-5, "prompt \(index) logits")
            #expect(caches[index].length == prompt.count)
            // Greedy continuation from the unpacked cache equals the one from the solo cache.
            var packedNext = logits[index].indices.max { logits[index][$0] < logits[index][$1] }!
            var soloNext = last.indices.max { last[$0] < last[$1] }!
            for _ in 0..<5 {
                #expect(packedNext == soloNext)
                let a = try model.logits(fromHidden: model.hiddenStates(.tokens([[packedNext]]), caches: [caches[index]])).value.scalars
                let b = try model.logits(fromHidden: model.hiddenStates(.tokens([[soloNext]]), caches: [alone])).value.scalars
                expectClose(a, b, rtol: 1e-5, atol: 1e-5)
                packedNext = a.indices.max { a[$0] < a[$1] }!
                soloNext = b.indices.max { b[$0] < b[$1] }!
            }
        }
    }
}
