import ArgumentParser
import Commands
import Foundation
import LanguageModelCommands
import NeuralNetworks
import Testing
import Tensors
import TestSupport

/// The library's model variants are reachable from `nexttoken lm train/generate`: each
/// option reaches the configuration and the model built from it.
struct ModelVariantTests {
    static func trainCommand(_ extra: [String]) throws -> TrainCommand {
        let folder = try temporaryFolder()
        let text = folder.appendingPathComponent("input.txt")
        try "some text".write(to: text, atomically: true, encoding: .utf8)
        let base = ["train", "--data", text.path, "-o", folder.appendingPathComponent("run").path,
                    "--layers", "1", "--hidden-size", "16", "--heads", "2"]
        return try #require(try LanguageModelCommand.parseAsRoot(base + extra) as? TrainCommand)
    }

    static func parameterCount(_ configuration: DecoderConfiguration) throws -> Int {
        var generator = SeededGenerator(seed: 0)
        return try DecoderTransformer(configuration: configuration, generator: &generator).parameterCount
    }

    @Test func structuredFeedForwardReachesTheModel() throws {
        let dense = try Self.trainCommand([]).shape.configuration()
        let lowRank = try Self.trainCommand(["--ffn", "low-rank:4"]).shape.configuration()
        let blocks = try Self.trainCommand(["--ffn", "block-diagonal:4"]).shape.configuration()
        #expect(dense.feedForwardStructure == nil)
        #expect(try Self.trainCommand(["--ffn", "dense"]).shape.configuration() == dense)
        #expect(lowRank.feedForwardStructure == .lowRank(rank: 4))
        #expect(blocks.feedForwardStructure == .blockDiagonal(blocks: 4))
        // GPT-2 flavour, C = 16, F = 64, one layer: two dense [64x16] matrices vs rank-4 factors or 4 blocks.
        let saved = 2 * 16 * 64
        #expect(try Self.parameterCount(dense) - Self.parameterCount(lowRank) == saved - 2 * (16 * 4 + 4 * 64))
        #expect(try Self.parameterCount(dense) - Self.parameterCount(blocks) == saved - saved / 4)
    }

    @Test func ropeScalingReachesTheConfiguration() throws {
        let interpolated = try Self.trainCommand(["--flavor", "llama", "--rope-scaling", "pi:2"]).shape.configuration()
        let ntk = try Self.trainCommand(["--flavor", "llama", "--rope-scaling", "ntk:3"]).shape.configuration()
        #expect(interpolated.ropeScale == 2 && interpolated.ropeNTKFactor == 1)
        #expect(ntk.ropeNTKFactor == 3 && ntk.ropeScale == 1)
        #expect(throws: CommandFailure.self) { try Self.trainCommand(["--rope-scaling", "pi:2"]).shape.configuration() }
    }

    @Test(arguments: [["--ffn", "low-rank:0"], ["--ffn", "sparse"], ["--ffn", "block-diagonal"], ["--rope-scaling", "pi:0.5"],
                      ["--rope-scaling", "yarn:2"], ["--rope-scaling", "ntk"]])
    func badVariantValuesAreRefused(_ extra: [String]) throws {
        #expect(throws: (any Error).self) { _ = try Self.trainCommand(extra) }
    }

    @Test func blocksThatDoNotDivideAreRefusedNamingTheOption() throws {
        #expect(throws: CommandFailure.option("--ffn", "3 blocks must divide the hidden size 16 and the feed-forward size 64")) {
            try Self.trainCommand(["--ffn", "block-diagonal:3"]).shape.configuration()
        }
    }

    @Test func generateScalesARotaryModelsContext() throws {
        let model = try TestFixtures.url("llama-tiny").path
        let plain = try #require(try LanguageModelCommand.parseAsRoot(["generate", "--model", model, "--ids", "1"]) as? GenerateCommand)
        let scaled = try #require(try LanguageModelCommand.parseAsRoot(["generate", "--model", model, "--ids", "1", "--rope-scaling", "ntk:4"]) as? GenerateCommand)
        let base = try plain.model.loadModel().configuration
        let extended = try scaled.model.loadModel().configuration
        #expect(extended.contextLength == 4 * base.contextLength)
        #expect(extended.ropeNTKFactor == 4 && base.ropeNTKFactor == 1)
        let gpt2 = try #require(try LanguageModelCommand.parseAsRoot(["generate", "--model", try TestFixtures.url("gpt2-tiny").path, "--ids", "1",
                                                                       "--rope-scaling", "pi:2"]) as? GenerateCommand)
        #expect(throws: CommandFailure.self) { try gpt2.model.loadModel() }
    }

    /// A low-rank LLaMA trained by `lm train` runs in `lm generate`, also with RoPE scaling
    /// past its trained context of 8 tokens.
    @Test func lowRankModelTrainsAndGenerates() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("input.txt"), run = folder.appendingPathComponent("run")
        try String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 12).write(to: text, atomically: true, encoding: .utf8)
        try ToolRunner.succeed(["lm", "train", "--data", text.path, "-o", run.path, "--steps", "3", "--context", "8", "--batch-size", "2",
                                "--layers", "1", "--hidden-size", "16", "--heads", "2", "--flavor", "llama", "--ffn", "low-rank:4",
                                "--threads", "1", "--quiet"])
        let config = try String(contentsOf: run.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains("lowRank"))
        let generated = try ToolRunner.succeed(["lm", "generate", "--model", run.path, "--ids", "1,2", "--greedy", "--max-new-tokens", "5",
                                                "--threads", "1", "--json"])
        #expect(generated.standardOutput.contains("\"new_tokens\""))
        try ToolRunner.succeed(["lm", "generate", "--model", run.path, "--ids", "1,2", "--greedy", "--max-new-tokens", "10",
                                "--rope-scaling", "pi:2", "--threads", "1"])
    }

    /// `lm train --multi-token 2` writes heads that `lm generate --multi-token` decodes with,
    /// giving exactly the greedy output.
    @Test func multiTokenHeadsTrainAndDecodeLikeGreedy() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("input.txt"), run = folder.appendingPathComponent("run")
        try String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 12).write(to: text, atomically: true, encoding: .utf8)
        try ToolRunner.succeed(["lm", "train", "--data", text.path, "-o", run.path, "--steps", "20", "--context", "16", "--batch-size", "4",
                                "--layers", "1", "--hidden-size", "16", "--heads", "2", "--learning-rate", "1e-2", "--multi-token", "2",
                                "--multi-token-steps", "20", "--threads", "1", "--quiet"])
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(MultiTokenHeads.fileName).path))
        let arguments = ["lm", "generate", "--model", run.path, "--ids", "1,2,3", "--greedy", "--max-new-tokens", "12", "--threads", "1"]
        let greedy = try ToolRunner.succeed(arguments)
        let predicted = try ToolRunner.succeed(arguments + ["--multi-token"])
        #expect(predicted.standardOutput == greedy.standardOutput)
        #expect(predicted.standardError.contains("multi-token: 12 tokens in"))
    }

    @Test func multiTokenOptionsAreChecked() throws {
        let model = try TestFixtures.url("gpt2-tiny").path
        #expect(throws: (any Error).self) { try LanguageModelCommand.parseAsRoot(["generate", "--model", model, "--ids", "1", "--multi-token"]) }
        #expect(throws: (any Error).self) { _ = try Self.trainCommand(["--multi-token", "0"]) }
        #expect(throws: (any Error).self) { _ = try Self.trainCommand(["--multi-token", "3", "--context", "4"]) }
        let noHeads = try ToolRunner.run(["lm", "generate", "--model", model, "--ids", "1", "--greedy", "--max-new-tokens", "4", "--multi-token"])
        #expect(noHeads.status == 1 && noHeads.standardError.contains(MultiTokenHeads.fileName))
    }

    /// `lm train --init-from DIR --lora-rank 2` trains only adapters on the linear layers and
    /// merges them: the token embedding (no adapter) is unchanged, a linear weight changed,
    /// the base folder is untouched, and the result runs in `lm generate`.
    @Test func loraFineTuningTrainsAdaptersAndMergesThem() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("input.txt"), base = folder.appendingPathComponent("base"), tuned = folder.appendingPathComponent("tuned")
        try String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 12).write(to: text, atomically: true, encoding: .utf8)
        let common = ["--data", text.path, "--steps", "4", "--context", "8", "--batch-size", "4", "--learning-rate", "1e-2", "--threads", "1", "--quiet"]
        try ToolRunner.succeed(["lm", "train", "-o", base.path, "--layers", "1", "--hidden-size", "16", "--heads", "2"] + common)
        let baseWeights = try Data(contentsOf: base.appendingPathComponent("model.safetensors"))
        try ToolRunner.succeed(["lm", "train", "-o", tuned.path, "--init-from", base.path, "--lora-rank", "2", "--lora-alpha", "4"] + common)
        #expect(try Data(contentsOf: base.appendingPathComponent("model.safetensors")) == baseWeights)
        let record = try LanguageModelRun.read(from: tuned)
        #expect(record.lora == .init(rank: 2, alpha: 4) && record.initFrom == base.standardizedFileURL.path)
        let before = try DecoderTransformer.load(from: base), after = try DecoderTransformer.load(from: tuned)
        let parameters = Dictionary(uniqueKeysWithValues: after.namedParameters().map { ($0.name, $0.variable.value.scalars) })
        var changed: [String] = []
        for (name, parameter) in before.namedParameters() where parameters[name] != parameter.value.scalars { changed.append(name) }
        #expect(!changed.isEmpty)
        #expect(changed.allSatisfy { $0.hasSuffix(".weight") && !$0.contains("embedding") && !$0.contains("norm") }, "\(changed)")
        try ToolRunner.succeed(["lm", "generate", "--model", tuned.path, "--ids", "1,2", "--greedy", "--max-new-tokens", "4", "--threads", "1"])
    }

    @Test(arguments: [["--lora-rank", "2"], ["--init-from", "DIR", "--lora-alpha", "2"], ["--init-from", "DIR", "--lora-rank", "0"],
                      ["--init-from", "DIR", "--lora-rank", "2", "--lora-alpha", "0"], ["--init-from", "DIR/absent"]])
    func badFineTuningOptionsAreRefused(_ extra: [String]) throws {
        let model = try TestFixtures.url("gpt2-tiny").path
        #expect(throws: (any Error).self) { _ = try Self.trainCommand(extra.map { $0.replacingOccurrences(of: "DIR", with: model) }) }
    }
}
