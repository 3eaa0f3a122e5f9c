import Foundation
import Testing
import TestSupport

/// Issue 25: every trainer's run folder is a `TrainingRun`: a training that fails for lack of
/// data leaves no output folder behind (nothing is written until the inputs are known to be
/// good), and `--resume` without a checkpoint starts a new run with a one-line note.
@Suite(.serialized)
struct RunFolderTests {
    struct Case: CustomStringConvertible, Sendable {
        let tool: String
        let name: String
        /// Builds the inputs in the scratch folder and returns the arguments.
        let arguments: @Sendable (_ scratch: URL) throws -> [String]
        /// The run folder (relative to the scratch folder) that must not appear.
        let runFolder: String
        /// A fragment of the error line (the data problem, not a parse error).
        let expected: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(tool: "nexttoken", name: "lm train on an empty text", arguments: { scratch in
            try Data().write(to: scratch.appendingPathComponent("empty.txt"))
            return ["lm", "train", "--data", scratch.appendingPathComponent("empty.txt").path, "-o", scratch.appendingPathComponent("run").path]
        }, runFolder: "run", expected: "is empty"),
        Case(tool: "nexttoken", name: "lm train on a text shorter than the context", arguments: { scratch in
            try "hello there".write(to: scratch.appendingPathComponent("short.txt"), atomically: true, encoding: .utf8)
            return ["lm", "train", "--data", scratch.appendingPathComponent("short.txt").path, "-o", scratch.appendingPathComponent("run").path,
                    "--context", "64", "--resume"]
        }, runFolder: "run", expected: "--context"),
        Case(tool: "icons", name: "icons train with no icon that fits the context", arguments: { scratch in
            ["train", "--data", try IconData.dataset(in: scratch).path, "-o", scratch.appendingPathComponent("run").path,
             "--layers", "1", "--hidden-size", "16", "--heads", "2", "--context", "8", "--steps", "2"]
        }, runFolder: "run", expected: "no icon fits a context of 8"),
        Case(tool: "forecast", name: "forecast train on a series too short for a segment", arguments: { scratch in
            let csv = scratch.appendingPathComponent("short.csv")
            try ("t,value\n" + (0..<12).map { "\($0),\($0 % 5)" }.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
            return ["train", "--data", csv.path, "-o", scratch.appendingPathComponent("run").path, "--segment", "8",
                    "--hidden-size", "16", "--layers", "1", "--heads", "2", "--steps", "2"]
        }, runFolder: "run", expected: "not enough data"),
        Case(tool: "images", name: "images tokenizer train on an empty folder", arguments: { scratch in
            try FileManager.default.createDirectory(at: scratch.appendingPathComponent("no-images"), withIntermediateDirectories: true)
            return ["tokenizer", "train", "--data", scratch.appendingPathComponent("no-images").path, "--steps", "2", "--warmup", "1",
                    "-o", scratch.appendingPathComponent("tokenizer.safetensors").path]
        }, runFolder: "tokenizer-run", expected: "no sub-folders"),
        Case(tool: "images", name: "images train on an empty folder", arguments: { scratch in
            try FileManager.default.createDirectory(at: scratch.appendingPathComponent("no-images"), withIntermediateDirectories: true)
            return ["train", "--data", scratch.appendingPathComponent("no-images").path, "--steps", "2", "--warmup", "1",
                    "--tokenizer", BadInputFixtures.assets.appendingPathComponent("images/tokenizer.safetensors").path,
                    "--run-folder", scratch.appendingPathComponent("run").path, "-o", scratch.appendingPathComponent("generator.safetensors").path]
        }, runFolder: "run", expected: "no sub-folders"),
        Case(tool: "retrieve", name: "retrieve train on questions whose passages are not in the index", arguments: { scratch in
            let index = scratch.appendingPathComponent("index")
            try FileManager.default.copyItem(at: BadInputFixtures.assets.appendingPathComponent("retrieve"), to: index)
            try? FileManager.default.removeItem(at: index.appendingPathComponent("training-run"))
            let queries = scratch.appendingPathComponent("queries.jsonl")
            try #"{"_id": "q1", "text": "who won?", "passage_id": "no-such-passage"}"#.write(to: queries, atomically: true, encoding: .utf8)
            return ["train", "--index", index.path, "--queries", queries.path, "--steps", "2"]
        }, runFolder: "index/training-run", expected: "not in the index"),
    ]

    @Test(arguments: cases)
    func trainingWithoutUsableDataLeavesNoRunFolder(_ run: Case) throws {
        let scratch = try scratchFolder(run.name)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let arguments = try run.arguments(scratch)
        let result = try ProductRunner.run(run.tool, arguments, scratch: scratch, timeout: 120)
        #expect(!result.signalled && result.status != 0, "\(result)")
        #expect(result.errorLines.last?.hasPrefix("error:") == true, "\(result)")
        #expect(result.errorLines.last?.contains(run.expected) == true, "\(result)")
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent(run.runFolder).path),
                "\(run.runFolder) was left behind: \(fileList(scratch))")
    }

    @Test func resumeWithoutACheckpointStartsANewRunAndPlotsIt() throws {
        let scratch = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let text = scratch.appendingPathComponent("text.txt")
        try String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 20).write(to: text, atomically: true, encoding: .utf8)
        let plot = scratch.appendingPathComponent("loss.png")
        let result = try ProductRunner.run("nexttoken", [
            "lm", "train", "--data", text.path, "-o", scratch.appendingPathComponent("run").path, "--resume",
            "--layers", "1", "--hidden-size", "16", "--heads", "2", "--context", "16", "--batch-size", "2", "--steps", "4",
            "--warmup", "1", "--validation-interval", "2", "--threads", "1", "--plot", plot.path,
        ], scratch: scratch)
        #expect(result.status == 0, "\(result)")
        #expect(result.errorLines.filter { $0.hasPrefix("--resume: no checkpoint in ") }.count == 1, "\(result.standardError)")
        let metrics = try String(contentsOf: scratch.appendingPathComponent("run/metrics.jsonl"), encoding: .utf8)
        #expect(metrics.split(separator: "\n").count == 4)
        let png = try Data(contentsOf: plot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // The same chart from the command that plots any run folder.
        let again = try ProductRunner.run("nexttoken", ["lm", "plot", scratch.appendingPathComponent("run").path, "-o", scratch.appendingPathComponent("again.png").path],
                                          scratch: scratch)
        #expect(again.status == 0, "\(again)")
        #expect(try Data(contentsOf: scratch.appendingPathComponent("again.png")).starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }
}
