import Foundation
import SafeTensors
import Testing

/// The GPT-2 fields a model would read, spelled as Hugging Face writes them.
private struct GPT2Config: Decodable, Equatable {
    let n_embd: Int
    let n_layer: Int
    let n_head: Int
    let n_inner: Int?
    let layer_norm_epsilon: Double
    let tie_word_embeddings: Bool
}

/// LLaMA fields including the transformers 5.x nested RoPE parameters.
private struct LlamaConfig: Decodable {
    struct RopeParameters: Decodable { let rope_theta: Double }
    let hidden_size: Int
    let num_key_value_heads: Int
    let rope_parameters: RopeParameters
}

private struct NeedsMissingField: Decodable {
    struct RopeParameters: Decodable { let scaling_factor: Double }
    let rope_parameters: RopeParameters
}

private struct WrongType: Decodable { let hidden_size: String }

@Suite("Checkpoint folders")
struct CheckpointFolderTests {
    @Test("config.json decodes into the caller's type; weights open from the folder")
    func fixtureFolders() throws {
        let gpt2Weights = URL(fileURLWithPath: try Fixtures.path("gpt2-tiny/model.safetensors"))
        let gpt2 = CheckpointFolder(containing: gpt2Weights)
        let config = try gpt2.config(GPT2Config.self)
        #expect(config == GPT2Config(n_embd: 64, n_layer: 2, n_head: 4, n_inner: nil,
                                     layer_norm_epsilon: 1e-5, tie_word_embeddings: true))
        #expect(try gpt2.openWeights().info("transformer.wpe.weight").shape == [64, 64])

        let llama = CheckpointFolder(directory: URL(fileURLWithPath: try Fixtures.path("llama-tiny")))
        let llamaConfig = try llama.config(LlamaConfig.self)
        #expect(llamaConfig.rope_parameters.rope_theta == 10000)
        #expect(llamaConfig.num_key_value_heads == 2)
    }

    @Test("Config errors name the config file and the field path")
    func configErrors() throws {
        let folder = CheckpointFolder(directory: URL(fileURLWithPath: try Fixtures.path("llama-tiny")))
        let configPath = folder.directory.appendingPathComponent("config.json").path
        expectError(.invalidConfig, path: configPath) { _ = try folder.config(NeedsMissingField.self) }
        do {
            _ = try folder.config(NeedsMissingField.self)
        } catch let error as SafeTensorsError {
            #expect(error.description.hasSuffix("missing field 'rope_parameters.scaling_factor'"), "\(error)")
        }
        do {
            _ = try folder.config(WrongType.self)
            Issue.record("expected a type mismatch")
        } catch let error as SafeTensorsError {
            #expect(error.description.contains("field 'hidden_size': expected String"), "\(error)")
        }
        let missing = folder.directory.appendingPathComponent("nope.json").path
        expectError(.invalidConfig, path: missing) { _ = try folder.config(WrongType.self, fileName: "nope.json") }

        let directory = try TemporaryDirectory()
        let garbage = try directory.write(Array("{\"hidden_size\": ".utf8), to: "config.json")
        expectError(.invalidConfig, path: garbage) {
            _ = try CheckpointFolder(directory: URL(fileURLWithPath: directory.path)).config(WrongType.self)
        }
    }

    @Test("Sharded weights: model.safetensors.index.json maps names to shard files")
    func shards() throws {
        let directory = try TemporaryDirectory()
        var first = try SafeTensorsWriter(path: directory.file("model-00001-of-00002.safetensors"))
        try first.add("embed", shape: [2, 2], values: [1, 2, 3, 4])
        try first.write()
        var second = try SafeTensorsWriter(path: directory.file("model-00002-of-00002.safetensors"))
        try second.add("head", shape: [2], values: [5, 6], as: .f16)
        try second.write()
        let index = #"{"metadata": {"total_size": 20}, "weight_map": {"embed": "model-00001-of-00002.safetensors", "head": "model-00002-of-00002.safetensors"}}"#
        _ = try directory.write(Array(index.utf8), to: "model.safetensors.index.json")

        let weights = try CheckpointFolder(directory: URL(fileURLWithPath: directory.path)).openWeights()
        #expect(weights.files.count == 2)
        #expect(weights.names == ["embed", "head"])
        #expect(try weights.floats("head") == [5, 6])
        #expect(try weights.info("embed").shape == [2, 2])
        #expect(throws: SafeTensorsError.self) { try weights.floats("missing") }
    }
}
