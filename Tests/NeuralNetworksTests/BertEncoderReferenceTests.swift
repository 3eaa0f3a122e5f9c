import Foundation
import NeuralNetworks
import SafeTensors
import Testing
import TestSupport
import Tokenizers

/// The tiny random BERT of `Tests/Fixtures/bert-tiny` (fp16 weights, sentence-transformers
/// modules Transformer + mean Pooling + Normalize, max_seq_length 48) against the embeddings
/// sentence-transformers computed from the same folder in float32 (`make_bert_fixtures.py model`).
@Suite struct BertEncoderReferenceTests {
    struct Reference: Decodable {
        var sentences: [String]
        var input_ids: [[Int]]
        var embeddings: [[Float]]
        var embeddings_batched: [[Float]]
        var last_hidden_state: [String: [[Float]]]
    }

    static func folder() throws -> URL { try TestFixtures.url("bert-tiny") }

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: try TestFixtures.url("bert-tiny/reference.json")))
    }

    static func maximumDifference(_ a: [[Float]], _ b: [[Float]]) -> Float {
        var worst: Float = 0
        for (x, y) in zip(a, b) {
            guard x.count == y.count else { return .infinity }
            for (u, v) in zip(x, y) { worst = max(worst, abs(u - v)) }
        }
        return a.count == b.count ? worst : .infinity
    }

    @Test func readsTheSentenceTransformersFiles() throws {
        let model = try SentenceEncoder(directory: try Self.folder())
        #expect(model.pooling == .mean)
        #expect(model.normalizes)
        #expect(model.maximumLength == 48)
        #expect(model.dimension == 32)
        #expect(model.encoder.configuration == BertEncoderConfiguration(
            vocabularySize: 30522, hiddenSize: 32, layerCount: 2, headCount: 4, intermediateSize: 64, maximumPositions: 64))
    }

    @Test func tokenIDsMatchIncludingTruncation() throws {
        let model = try SentenceEncoder(directory: try Self.folder())
        let reference = try Self.reference()
        #expect(reference.input_ids.contains { $0.count == 48 }, "one sentence is cut at max_seq_length")
        for (sentence, ids) in zip(reference.sentences, reference.input_ids) {
            #expect(model.tokenIDs(sentence) == ids, "\(sentence)")
        }
    }

    @Test func oneSentenceAtATimeMatchesSentenceTransformers() throws {
        let model = try SentenceEncoder(directory: try Self.folder())
        let reference = try Self.reference()
        let vectors = try reference.sentences.map { try model.embed([$0])[0] }
        let worst = Self.maximumDifference(vectors, reference.embeddings)
        #expect(worst <= 1e-4, "max abs difference \(worst)")
    }

    @Test func tokenStatesMatchTransformers() throws {
        let encoder = try BertEncoder.load(from: try Self.folder())
        let reference = try Self.reference()
        #expect(reference.last_hidden_state.count == 3)
        for (key, expected) in reference.last_hidden_state {
            let ids = reference.input_ids[Int(key)!]
            let states = try encoder.hiddenStates(ids: [ids])
            #expect(states.shape == [1, ids.count, 32])
            expectClose(states.scalars, expected.flatMap { $0 }, rtol: 0, atol: 1e-4, "sentence \(key)")
        }
    }

    @Test func paddedBatchMatchesSentenceTransformers() throws {
        let model = try SentenceEncoder(directory: try Self.folder())
        let reference = try Self.reference()
        // All twenty in one batch padded to 48, as sentence-transformers ran them.
        let padded = try model.sentenceEmbeddings(ids: reference.sentences.map(model.tokenIDs))
        let worst = Self.maximumDifference(padded, reference.embeddings_batched)
        #expect(worst <= 1e-4, "max abs difference \(worst)")
        // Length-sorted batches of seven.
        let sorted = try model.embed(reference.sentences, batchSize: 7)
        #expect(Self.maximumDifference(sorted, reference.embeddings_batched) <= 1e-4)
        for vector in padded {
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
    }

    @Test func loadsFloat32WeightsNamedWithTheBertPrefix() throws {
        let source = try Self.folder()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("bert-prefix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: source, to: copy)
        let weights = try CheckpointFolder(directory: source).openWeights()
        let target = copy.appendingPathComponent(CheckpointFolder.weightsFileName)
        try FileManager.default.removeItem(at: target)
        var writer = try SafeTensorsWriter(path: target.path)
        for name in weights.names {
            try writer.add("bert." + name, shape: try weights.info(name).shape, values: try weights.floats(name), as: .f32)
        }
        try writer.write()
        let reference = try Self.reference()
        let vectors = try SentenceEncoder(directory: copy).embed(reference.sentences)
        #expect(Self.maximumDifference(vectors, reference.embeddings) <= 1e-4)
    }

    @Test func aFolderThatIsNotBertIsRefusedNamingTheField() throws {
        let gpt2 = try TestFixtures.url("gpt2-tiny")
        do {
            _ = try SentenceEncoder(directory: gpt2)
            Issue.record("a GPT-2 folder loaded as a BERT encoder")
        } catch let error as ModelError {
            let message = error.description
            #expect(message.contains("gpt2-tiny/config.json"), "\(message)")
            #expect(message.contains("field 'model_type' is 'gpt2'"), "\(message)")
            #expect(!message.contains("\n"))
        }
    }

    @Test(arguments: [
        ("modules.json", #"[{"type": "sentence_transformers.models.Transformer", "path": ""}, {"type": "sentence_transformers.models.Dense", "path": "2_Dense"}]"#,
         "field '[1].type' is 'sentence_transformers.models.Dense'"),
        ("1_Pooling/config.json", #"{"pooling_mode": "max"}"#, "field 'pooling_mode' is 'max'"),
        ("config.json", #"{"model_type": "bert", "hidden_act": "gelu_new"}"#, "field 'hidden_act' is 'gelu_new'"),
    ])
    func unsupportedPartsAreRefused(file: String, contents: String, message: String) throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("bert-refused-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: try Self.folder(), to: copy)
        try Data(contents.utf8).write(to: copy.appendingPathComponent(file))
        do {
            _ = try SentenceEncoder(directory: copy)
            Issue.record("loaded with \(file) = \(contents)")
        } catch let error as ModelError {
            #expect(error.description.contains(file), "\(error)")
            #expect(error.description.contains(message), "\(error)")
        }
    }
}
