import Autograd
import Foundation
import NeuralNetworks
import Testing
import Tensors
import TestSupport

/// SkipDecode keeps the cache valid and computes exactly the truncated model; FFN skipping
/// skips what it measured as collinear and nothing else.
struct LayerSkippingTests {
    @Test func skipDecodeScheduleIsNonIncreasing() throws {
        let skipping = try LayerSkipping(.skipDecode(maximumLayers: 6, minimumLayers: 2, startPosition: 10, endPosition: 30))
        let exits = (0..<40).map { skipping.exitLayer(position: $0, layerCount: 6) }
        #expect(exits.first == 6 && exits.last == 2)
        #expect(zip(exits, exits.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(throws: ModelError.self) { try LayerSkipping(.skipDecode(maximumLayers: 2, minimumLayers: 3, startPosition: 0, endPosition: 1)) }
        #expect(throws: ModelError.self) { try LayerSkipping(.feedForward(cosineThreshold: 0, warmupTokens: 1)) }
    }

    @Test(arguments: [DecoderConfiguration.Flavor.gpt2, .llama])
    func exitLayerComputesTheTruncatedModel(flavor: DecoderConfiguration.Flavor) throws {
        let model = try DecoderTransformerTests.tinyModel(flavor, keyValueHeads: flavor == .llama ? 2 : nil)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skip-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try model.save(to: directory)
        let truncated = try DecoderTransformer.load(from: directory) { $0.layerCount = 1 }
        // Positions 0-4 use both layers, 5 and later only the first.
        let skipping = try LayerSkipping(.skipDecode(maximumLayers: 2, minimumLayers: 1, startPosition: 4, endPosition: 5))
        let prompt = [3, 9, 27, 1, 8]
        let cache = model.makeCache(), reference = truncated.makeCache()
        _ = try model.hiddenStates(.tokens([prompt]), caches: [cache], skipping: skipping)
        _ = try truncated.hiddenStates(.tokens([prompt]), caches: [reference])
        for token in [4, 11, 2] {
            let a = try model.logits(fromHidden: model.hiddenStates(.tokens([[token]]), caches: [cache], skipping: skipping)).value.scalars
            let b = try truncated.logits(fromHidden: truncated.hiddenStates(.tokens([[token]]), caches: [reference])).value.scalars
            expectClose(a, b, rtol: 1e-5, atol: 1e-6)
        }
        // The second layer's cache stopped at the prompt; the first holds every token.
        #expect(cache.layers[0].length == 8 && cache.layers[1].length == 5)
    }

    @Test func feedForwardSkippingFollowsTheMeasuredCosines() throws {
        let model = try DecoderTransformerTests.tinyModel(.llama, keyValueHeads: 2)
        func decode(_ skipping: LayerSkipping?) throws -> [[Float]] {
            let cache = model.makeCache()
            _ = try model.hiddenStates(.tokens([[1, 2, 3]]), caches: [cache], skipping: skipping)
            return try [5, 6, 7, 8].map { token in
                defer { skipping?.advance() }
                return try model.logits(fromHidden: model.hiddenStates(.tokens([[token]]), caches: [cache], skipping: skipping)).value.scalars
            }
        }
        let plain = try decode(nil)
        let never = try LayerSkipping(.feedForward(cosineThreshold: 1, warmupTokens: 2))
        #expect(try decode(never) == plain)
        #expect(never.skippedFeedForwardLayers.isEmpty)
        let always = try LayerSkipping(.feedForward(cosineThreshold: 0.01, warmupTokens: 2))
        let skipped = try decode(always)
        #expect(always.skippedFeedForwardLayers == [0, 1])
        #expect(Array(skipped.prefix(2)) == Array(plain.prefix(2)))   // warm-up runs every block
        #expect(skipped[3] != plain[3])
    }
}
