import Autograd
import Foundation
import NeuralNetworks
import Testing
import Tensors
import TestSupport

/// Properties of the transformer that hold for any weights.
struct DecoderTransformerTests {
    static func tinyConfiguration(_ flavor: DecoderConfiguration.Flavor, keyValueHeads: Int? = nil) -> DecoderConfiguration {
        var c = DecoderConfiguration()
        c.flavor = flavor
        c.vocabularySize = 50
        c.contextLength = 32
        c.hiddenSize = 16
        c.layerCount = 2
        c.headCount = 4
        c.keyValueHeadCount = keyValueHeads
        c.intermediateSize = 24
        c.tiedEmbeddings = flavor == .gpt2
        return c
    }

    static func tinyModel(_ flavor: DecoderConfiguration.Flavor, keyValueHeads: Int? = nil, seed: UInt64 = 1) throws -> DecoderTransformer {
        var generator = SeededGenerator(seed: seed)
        return try DecoderTransformer(configuration: tinyConfiguration(flavor, keyValueHeads: keyValueHeads), generator: &generator)
    }

    @Test func parameterPathsArePinned() throws {
        let gpt2 = try Self.tinyModel(.gpt2).namedParameters().map(\.name)
        #expect(gpt2 == ["embedding.weight", "positionEmbedding.weight"] + (0..<2).flatMap { i in [
            "blocks.\(i).attentionNorm.weight", "blocks.\(i).attentionNorm.bias",
            "blocks.\(i).attention.qkv.weight", "blocks.\(i).attention.qkv.bias",
            "blocks.\(i).attention.output.weight", "blocks.\(i).attention.output.bias",
            "blocks.\(i).feedForwardNorm.weight", "blocks.\(i).feedForwardNorm.bias",
            "blocks.\(i).feedForward.up.weight", "blocks.\(i).feedForward.up.bias",
            "blocks.\(i).feedForward.down.weight", "blocks.\(i).feedForward.down.bias",
        ] } + ["finalNorm.weight", "finalNorm.bias"])
        let llama = try Self.tinyModel(.llama, keyValueHeads: 2).namedParameters().map(\.name)
        #expect(llama == ["embedding.weight"] + (0..<2).flatMap { i in [
            "blocks.\(i).attentionNorm.weight", "blocks.\(i).attention.qkv.weight", "blocks.\(i).attention.output.weight",
            "blocks.\(i).feedForwardNorm.weight", "blocks.\(i).feedForward.up.weight", "blocks.\(i).feedForward.gate.weight",
            "blocks.\(i).feedForward.down.weight",
        ] } + ["finalNorm.weight", "outputHead.weight"])
        #expect(try Self.tinyModel(.llama, keyValueHeads: 2).blocks[0].attention.qkv.weight.shape == [(4 + 2 * 2) * 4, 16])
    }

    @Test(arguments: [DecoderConfiguration.Flavor.gpt2, .llama], [nil, 2, 1] as [Int?])
    func incrementalDecodingEqualsFullRecomputation(flavor: DecoderConfiguration.Flavor, keyValueHeads: Int?) throws {
        let model = try Self.tinyModel(flavor, keyValueHeads: keyValueHeads)
        let tokens = [3, 17, 4, 42, 8, 0, 23, 11, 5, 30]
        let full = try Tape.withoutGradient { try model.logits(tokens: [tokens]).value }
        // Prefill 4 tokens, then 3, then one at a time; a small initial capacity forces growth.
        let cache = model.makeCache(capacity: 2)
        var pieces: [Tensor] = []
        var start = 0
        for size in [4, 3, 1, 1, 1] {
            let chunk = Array(tokens[start..<(start + size)])
            pieces.append(try model.logits(fromHidden: model.hiddenStates(.tokens([chunk]), caches: [cache])).value)
            start += size
        }
        let incremental = try Tensor.concatenate(pieces, axis: 1)
        expectClose(incremental.scalars, full.scalars, rtol: 1e-5, atol: 2e-5)
        #expect(cache.length == tokens.count)
    }

    @Test func batchedRowsEqualSingleRows() throws {
        let model = try Self.tinyModel(.llama, keyValueHeads: 2)
        let rows = [[1, 2, 3, 4, 5], [9, 8, 7, 6, 5]]
        let batched = try Tape.withoutGradient { try model.logits(tokens: rows).value }
        for (index, row) in rows.enumerated() {
            let single = try Tape.withoutGradient { try model.logits(tokens: [row]).value }
            expectClose(try batched.sliced(axis: 0, range: index..<(index + 1)).contiguous().scalars, single.scalars, rtol: 1e-5, atol: 1e-5)
        }
    }

    @Test func truncatedCacheRecomputesTheSame() throws {
        let model = try Self.tinyModel(.gpt2)
        let cache = model.makeCache()
        _ = try model.hiddenStates(.tokens([[1, 2, 3, 4]]), caches: [cache])
        let fork = cache.copy()
        cache.truncate(to: 2)
        let afterTruncate = try model.logits(fromHidden: model.hiddenStates(.tokens([[3]]), caches: [cache])).value
        let fresh = model.makeCache()
        _ = try model.hiddenStates(.tokens([[1, 2]]), caches: [fresh])
        let reference = try model.logits(fromHidden: model.hiddenStates(.tokens([[3]]), caches: [fresh])).value
        // Prefills of 4 and 2 tokens run GEMMs of different shapes: equal up to rounding.
        expectClose(afterTruncate.scalars, reference.scalars, rtol: 1e-6, atol: 1e-6)
        #expect(fork.length == 4)
    }

    @Test func inputEmbeddingsEqualTokenPath() throws {
        let model = try Self.tinyModel(.llama)
        let tokens = [[4, 9, 1]]
        let viaTokens = try Tape.withoutGradient { try model.hiddenStates(.tokens(tokens)).value }
        let vectors = try model.embedding(tokens)
        let viaEmbeddings = try Tape.withoutGradient { try model.hiddenStates(.embeddings(vectors)).value }
        #expect(viaTokens.scalars == viaEmbeddings.scalars)
    }

    @Test func saveAndLoadRoundTrip() throws {
        let model = try Self.tinyModel(.llama, keyValueHeads: 2)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nn-roundtrip-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try model.save(to: directory)
        let loaded = try DecoderTransformer.load(from: directory)
        #expect(loaded.configuration == model.configuration)
        let a = try Tape.withoutGradient { try model.logits(tokens: [[1, 2, 3]]).value.scalars }
        let b = try Tape.withoutGradient { try loaded.logits(tokens: [[1, 2, 3]]).value.scalars }
        #expect(a == b)
    }

    @Test func badCheckpointsNameTheTensor() throws {
        let model = try Self.tinyModel(.gpt2)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nn-bad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try model.save(to: directory)
        // A configuration whose hidden size disagrees with the stored tensors.
        let configURL = directory.appendingPathComponent("config.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as! [String: Any]
        var decoder = json["decoder"] as! [String: Any]
        decoder["intermediateSize"] = 20
        json["decoder"] = decoder
        try JSONSerialization.data(withJSONObject: json).write(to: configURL)
        do {
            _ = try DecoderTransformer.load(from: directory)
            Issue.record("a mismatched checkpoint loaded")
        } catch let error as ModelError {
            #expect("\(error)".contains("blocks.0.feedForward.up.weight"), "\(error)")
        }
        // A truncated weights file.
        let weights = directory.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: weights)
        try bytes.prefix(bytes.count / 2).write(to: weights)
        #expect(throws: (any Error).self) { try DecoderTransformer.load(from: directory) }
        do { _ = try DecoderTransformer.load(from: directory) } catch { #expect("\(error)".contains("model.safetensors"), "\(error)") }
    }

    @Test func tokensOutsideTheVocabularyAreErrors() throws {
        let model = try Self.tinyModel(.gpt2)
        #expect(throws: ModelError.self) { try model.logits(tokens: [[1, 50]]) }
        #expect(throws: ModelError.self) { try model.logits(tokens: [Array(repeating: 1, count: 33)]) }
    }
}
