import Foundation
import NeuralNetworks
import Testing
import TestSupport

/// `nexttoken lm train` writes a checkpoint folder that `lm generate` runs, continues a run
/// with `--resume` exactly as if it had never stopped, and refuses to overwrite a run.
struct TrainCommandTests {
    static let text = String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 12)

    /// A tiny model and run: 1 layer of 16, windows of 8 tokens, batches of 4.
    static func trainArguments(text: URL, output: URL, steps: Int, extra: [String] = []) -> [String] {
        ["lm", "train", "--text", text.path, "-o", output.path, "--steps", "\(steps)", "--context", "8", "--batch-size", "4",
         "--layers", "1", "--hidden-size", "16", "--heads", "2", "--learning-rate", "1e-2", "--schedule", "constant",
         "--warmup", "0", "--checkpoint-interval", "2", "--validation-interval", "2", "--log-interval", "1",
         "--seed", "5", "--threads", "1"] + extra
    }

    static func writeText(in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("input.txt")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func history(_ result: ToolRunner.Result) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        return try #require(object["history"] as? [[String: Any]])
    }

    @Test func trainedCheckpointRunsInGenerate() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("run")
        let result = try ToolRunner.succeed(Self.trainArguments(text: try Self.writeText(in: folder), output: output, steps: 4, extra: ["--json"]))
        let history = try Self.history(result)
        #expect(history.map { $0["step"] as? Int } == [1, 2, 3, 4])
        #expect(history.allSatisfy { ($0["loss"] as? Double).map(\.isFinite) == true })
        #expect(history[1]["validation_loss"] != nil)
        #expect(result.standardError.contains("step=4/4"), "progress line on stderr")
        for name in ["config.json", "model.safetensors", "characters.json", "training.json", "checkpoint/trainer.json"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(name).path), "\(name)")
        }
        let model = try DecoderTransformer.load(from: output)
        #expect(model.configuration.vocabularySize == Set(Self.text.unicodeScalars).count + 1)  // + <unk>

        // Learned positions: the prompt plus new tokens must fit the context of 8.
        let generated = try ToolRunner.succeed(["lm", "generate", "--model", output.path, "th", "--max-new-tokens", "6", "--seed", "2"])
        let continuation = generated.standardOutput.dropLast()  // the final newline
        #expect(continuation.unicodeScalars.count == 6)
        #expect(continuation.unicodeScalars.allSatisfy { Self.text.unicodeScalars.contains($0) })
        #expect(generated.standardOutput.hasSuffix("\n"))
    }

    @Test func resumeContinuesLikeAnUninterruptedRun() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try Self.writeText(in: folder)
        let whole = folder.appendingPathComponent("whole"), split = folder.appendingPathComponent("split")
        let uninterrupted = try Self.history(try ToolRunner.succeed(Self.trainArguments(text: text, output: whole, steps: 6, extra: ["--json"])))
        _ = try ToolRunner.succeed(Self.trainArguments(text: text, output: split, steps: 3))
        let resumed = try ToolRunner.succeed(Self.trainArguments(text: text, output: split, steps: 6, extra: ["--resume", "--json"]))
        #expect(resumed.standardError.contains("resumed from"))
        let continued = try Self.history(resumed)
        // The 3-step run's final checkpoint (after step 3) holds the first three records.
        #expect(continued.map { $0["step"] as? Int } == [1, 2, 3, 4, 5, 6])
        for (a, b) in zip(uninterrupted, continued) {
            #expect(a["loss"] as? Double == b["loss"] as? Double, "step \(a["step"] ?? "?")")
        }
        let first = try DecoderTransformer.load(from: whole), second = try DecoderTransformer.load(from: split)
        for ((name, x), (_, y)) in zip(first.namedParameters(), second.namedParameters()) {
            #expect(x.value.scalars == y.value.scalars, "\(name)")
        }
    }

    @Test func refusesToOverwriteARunWithoutResume() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try Self.writeText(in: folder)
        let output = folder.appendingPathComponent("run")
        _ = try ToolRunner.succeed(Self.trainArguments(text: text, output: output, steps: 2))
        let weights = try Data(contentsOf: output.appendingPathComponent("model.safetensors"))
        let again = try ToolRunner.run(Self.trainArguments(text: text, output: output, steps: 2))
        #expect(again.status != 0)
        #expect(again.errorLines.count == 1 && again.errorLines.first?.hasPrefix("error: --output") == true, "\(again.standardError)")
        #expect(again.standardOutput.isEmpty)
        #expect(try Data(contentsOf: output.appendingPathComponent("model.safetensors")) == weights)
    }

    @Test func bytePairTokenizerIsTrainedAndStored() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("run")
        _ = try ToolRunner.succeed(Self.trainArguments(text: try Self.writeText(in: folder), output: output, steps: 2,
                                                       extra: ["--tokenizer", "bpe", "--vocab", "280", "--flavor", "llama"]))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("vocab.json").path))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("merges.txt").path))
        let model = try DecoderTransformer.load(from: output)
        #expect(model.configuration.flavor == .llama)
        #expect(model.configuration.vocabularySize == 280)
        let generated = try ToolRunner.succeed(["lm", "generate", "--model", output.path, "the quick", "--max-new-tokens", "5", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(generated.standardOutput.utf8)) as? [String: Any])
        #expect(object["text"] is String)
        #expect((object["prompt_ids"] as? [Int])?.isEmpty == false)
    }
}
