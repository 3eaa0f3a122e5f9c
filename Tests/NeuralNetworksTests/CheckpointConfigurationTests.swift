import Foundation
import NeuralNetworks
import Testing

/// `config.json` decoding on its own (the fuzzed entry point) and the check that a config
/// cannot make the loader allocate more than its weights hold (issue 10).
struct CheckpointConfigurationTests {
    @Test func ownAndHuggingFaceConfigsDecode() throws {
        let own = #"{"model_type": "nexttoken-decoder", "format_version": 1, "decoder": {"flavor": "llama", "hiddenSize": 32, "vocabularySize": 50}}"#
        let decoded = try DecoderConfiguration(checkpointJSON: Data(own.utf8), file: "own.json")
        #expect(decoded.flavor == .llama && decoded.hiddenSize == 32 && decoded.vocabularySize == 50)
        let hub = #"{"model_type": "gpt2", "vocab_size": 99, "n_positions": 64, "n_embd": 16, "n_layer": 2, "n_head": 2}"#
        let gpt2 = try DecoderConfiguration(checkpointJSON: Data(hub.utf8), file: "hub.json")
        #expect(gpt2.flavor == .gpt2 && gpt2.vocabularySize == 99 && gpt2.contextLength == 64)
    }

    @Test(arguments: [
        ("[1, 2]", "not a JSON object"),
        (#"{"model_type": "nexttoken-decoder", "format_version": 2, "decoder": {}}"#, "format_version"),
        (#"{"model_type": "nexttoken-decoder", "format_version": 1, "decoder": 5}"#, "'decoder'"),
        (#"{"model_type": "nexttoken-decoder", "format_version": 1}"#, "'decoder'"),
        (#"{"model_type": "nexttoken-decoder", "format_version": 1, "decoder": {"hiddenSize": "big"}}"#, "hiddenSize"),
        (#"{"model_type": "gpt2", "vocab_size": "many"}"#, "vocab_size"),
    ])
    func malformedConfigsAreErrorsNamingTheField(_ json: String, _ expected: String) throws {
        do {
            _ = try DecoderConfiguration(checkpointJSON: Data(json.utf8), file: "config.json")
            Issue.record("decoded: \(json)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
            #expect("\(error)".contains("config.json"), "\(error)")
        }
    }

    @Test(arguments: ["1000000000000", "4611686018427387904"])
    func aConfigLargerThanItsWeightsIsRefusedBeforeAllocating(_ vocabularySize: String) throws {
        let model = try DecoderTransformerTests.tinyModel(.llama)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nn-absurd-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try model.save(to: directory)
        let configURL = directory.appendingPathComponent("config.json")
        let text = try String(contentsOf: configURL, encoding: .utf8)
        let edited = text.replacingOccurrences(
            of: #""vocabularySize" : \d+"#, with: "\"vocabularySize\" : \(vocabularySize)", options: .regularExpression)
        #expect(edited != text)
        try edited.write(to: configURL, atomically: true, encoding: .utf8)
        do {
            _ = try DecoderTransformer.load(from: directory)
            Issue.record("an absurd configuration loaded")
        } catch let error as ModelError {
            #expect("\(error)".contains("config.json") && "\(error)".contains("vocabularySize \(vocabularySize)"), "\(error)")
        }
    }
}
