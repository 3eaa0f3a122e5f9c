import ArgumentParser
import Commands
import Foundation
import LanguageModelCommands
import Testing
import TestSupport

/// Bad input gives exactly one line `error: <message naming the option, file or field>` on
/// stderr, a non-zero exit, nothing on stdout, and no stack trace.
struct ErrorReportingTests {
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        /// `MODEL` is replaced by the gpt2-tiny fixture, `DIR` by a scratch folder.
        let arguments: [String]
        let expected: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "missing model folder", arguments: ["lm", "logits", "--model", "DIR/absent", "--ids", "1"], expected: "no such folder"),
        Case(name: "file instead of model folder", arguments: ["lm", "logits", "--model", "MODEL/config.json", "--ids", "1"], expected: "is a file"),
        Case(name: "folder instead of text file", arguments: ["lm", "train", "--data", "DIR", "-o", "DIR/out"], expected: "--data"),
        Case(name: "malformed --ids", arguments: ["lm", "logits", "--model", "MODEL", "--ids", "1,x"], expected: "--ids"),
        Case(name: "empty --ids entry", arguments: ["lm", "generate", "--model", "MODEL", "--ids", "1,,2"], expected: "--ids"),
        Case(name: "token outside vocabulary", arguments: ["lm", "generate", "--model", "MODEL", "--ids", "1000"], expected: "outside the model's vocabulary"),
        Case(name: "temperature 0 while sampling", arguments: ["lm", "generate", "--model", "MODEL", "--ids", "1", "--temperature", "0"], expected: "--temperature"),
        Case(name: "negative max tokens", arguments: ["lm", "generate", "--model", "MODEL", "--ids", "1", "--max-new-tokens=-4"], expected: "--max-new-tokens"),
        Case(name: "top-p above 1", arguments: ["lm", "generate", "--model", "MODEL", "--ids", "1", "--top-p", "1.5"], expected: "--top-p"),
        Case(name: "beyond the context", arguments: ["lm", "generate", "--model", "MODEL", "--ids", "1", "--max-new-tokens", "200"], expected: "context of 64"),
        Case(name: "text without a tokenizer", arguments: ["lm", "generate", "--model", "MODEL", "hello"], expected: "no tokenizer"),
        Case(name: "both prompt and ids", arguments: ["lm", "logits", "--model", "MODEL", "hi", "--ids", "1"], expected: "not both"),
        Case(name: "truncated weights", arguments: ["lm", "logits", "--model", "DIR/broken", "--ids", "1"], expected: "model.safetensors"),
        Case(name: "malformed --config", arguments: ["lm", "train", "--text", "DIR/input.txt", "-o", "DIR/out", "--config", "DIR/bad.json"], expected: "hiddenSize"),
        Case(name: "text too short for the context", arguments: ["lm", "train", "--text", "DIR/input.txt", "-o", "DIR/out", "--context", "500"], expected: "--context"),
        Case(name: "missing required option", arguments: ["lm", "logits", "--ids", "1"], expected: "--model"),
    ]

    /// A scratch folder with a short text, a malformed config and a model folder whose weights are cut short.
    static func scratch() throws -> URL {
        let folder = try temporaryFolder()
        try "hello world, hello there.\n".write(to: folder.appendingPathComponent("input.txt"), atomically: true, encoding: .utf8)
        try #"{"hiddenSize": "big"}"#.write(to: folder.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let broken = folder.appendingPathComponent("broken")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        let fixture = try TestFixtures.url("gpt2-tiny")
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("config.json"), to: broken.appendingPathComponent("config.json"))
        let weights = try Data(contentsOf: fixture.appendingPathComponent("model.safetensors"))
        try weights.prefix(weights.count / 2).write(to: broken.appendingPathComponent("model.safetensors"))
        return folder
    }

    @Test(arguments: cases)
    func badInputGivesOneLineError(_ testCase: Case) throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try TestFixtures.url("gpt2-tiny").path
        let arguments = testCase.arguments.map {
            $0.replacingOccurrences(of: "MODEL", with: model).replacingOccurrences(of: "DIR", with: folder.path)
        } + ["--threads", "1"]
        let result = try ToolRunner.run(arguments)
        #expect(result.status != 0)
        #expect(result.standardOutput.isEmpty, "no partial output: \(result.standardOutput.prefix(200))")
        #expect(result.errorLines.count == 1, "one line: \(result.standardError)")
        let line = result.errorLines.first ?? ""
        #expect(line.hasPrefix("error: "))
        #expect(line.contains(testCase.expected), "\(line)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/config.json").path))
    }

    @Test func inProcessExecutionReportsTheSameMessages() throws {
        let model = try TestFixtures.url("gpt2-tiny").path
        let sampling = CommandLineTool.execute(LanguageModelCommand.self, arguments: ["generate", "--model", model, "--ids", "1", "--temperature", "0"])
        #expect(sampling.exitCode == ExitCode.validationFailure.rawValue)
        #expect(sampling.errorMessage?.hasPrefix("--temperature: 0 is not a sampling temperature") == true)
        #expect(throws: (any Error).self) {
            try LanguageModelCommand.parseAsRoot(["generate", "--model", model, "--ids", "1", "--max-new-tokens=-1"])
        }
        let greedy = try LanguageModelCommand.parseAsRoot(["generate", "--model", model, "--ids", "1", "--temperature", "0", "--greedy"])
        let settings = try #require(greedy as? GenerateCommand).sampling.settings(seed: 3)
        #expect(settings.mode == .greedy && settings.seed == 3)
    }

    @Test func foundationErrorsNameTheFile() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/input.txt")
        do {
            _ = try Data(contentsOf: missing)
            Issue.record("reading a missing file succeeded")
        } catch {
            let message = ErrorMessage.describe(error)
            #expect(message.contains("/nonexistent/input.txt"), "\(message)")
            #expect(!message.contains("\n"))
        }
        struct Shape: Decodable { let layers: [Int] }
        do {
            _ = try JSONDecoder().decode(Shape.self, from: Data(#"{"layers": [1, "two"]}"#.utf8))
            Issue.record("decoding succeeded")
        } catch {
            #expect(ErrorMessage.describe(error).contains("layers[1]"), "\(ErrorMessage.describe(error))")
        }
    }
}
