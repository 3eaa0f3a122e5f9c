import Foundation
import Testing
import TestSupport
import Tensors

#if canImport(Glibc)
import Glibc
#endif

/// Issue 10, "crash safety" for the trainers' final outputs (forecast's model folder, the images
/// tokenizer and generator files, retrieve's generator): a run killed with SIGKILL at a random
/// moment must leave the previous output loadable by the command that uses it. Their
/// checkpoints and `--resume` are tested in CrashSafetyTests.
@Suite(.serialized)
struct CrashSafetyOutputTests {
    struct Run: CustomStringConvertible, Sendable {
        let tool: String
        let name: String
        /// Prepares data and returns the train arguments for `steps` steps.
        let train: @Sendable (_ scratch: URL, _ steps: Int) throws -> [String]
        /// A command (tool, arguments) that must succeed on the output.
        let use: @Sendable (_ scratch: URL) -> (String, [String])
        var description: String { name }
    }

    static let runs: [Run] = [
        Run(tool: "forecast", name: "forecast train", train: { scratch, steps in
            let csv = try SeriesData.csv(in: scratch)
            return ["train", "--input", csv.path, "-o", scratch.appendingPathComponent("run").path, "--segment", "8", "--lookback", "32",
                    "--width", "16", "--layers", "1", "--heads", "2", "--steps", "\(steps)", "--batch-size", "4", "--validation-interval", "2"]
        }, use: { scratch in
            ("forecast", ["predict", "--input", scratch.appendingPathComponent("series.csv").path,
                          "--model", scratch.appendingPathComponent("run").path, "--horizon", "4", "--samples", "0"])
        }),
        Run(tool: "images", name: "images tokenizer train", train: { scratch, steps in
            let data = try ImageData.folder(in: scratch)
            return ["tokenizer", "train", "--data", data.path, "--steps", "\(steps)", "--batch-size", "4", "--warmup", "1",
                    "--hidden-channels", "4", "--log-every", "1", "-o", scratch.appendingPathComponent("tokenizer.safetensors").path]
        }, use: { scratch in
            ("images", ["tokenizer", "eval", "--data", scratch.appendingPathComponent("mnist").path,
                        "--tokenizer", scratch.appendingPathComponent("tokenizer.safetensors").path])
        }),
        Run(tool: "images", name: "images train", train: { scratch, steps in
            let data = try ImageData.folder(in: scratch)
            return ["train", "--data", data.path, "--tokenizer", BadInputFixtures.assets.appendingPathComponent("images/tokenizer.safetensors").path,
                    "--steps", "\(steps)", "--batch-size", "4", "--warmup", "1", "--hidden-size", "16", "--layers", "1", "--heads", "2",
                    "--log-every", "1", "-o", scratch.appendingPathComponent("generator.safetensors").path]
        }, use: { scratch in
            ("images", ["generate", "--tokenizer", BadInputFixtures.assets.appendingPathComponent("images/tokenizer.safetensors").path,
                        "--model", scratch.appendingPathComponent("generator.safetensors").path, "--count", "1", "--class", "3",
                        "-o", scratch.appendingPathComponent("grid.png").path])
        }),
        Run(tool: "retrieve", name: "retrieve train", train: { scratch, steps in
            let index = scratch.appendingPathComponent("index")
            if !FileManager.default.fileExists(atPath: index.path) {
                try FileManager.default.copyItem(at: BadInputFixtures.assets.appendingPathComponent("retrieve"), to: index)
                try #"{"warmupSteps": 1, "decoder": {"hiddenSize": 16, "layerCount": 1, "headCount": 2, "contextLength": 64}}"#
                    .write(to: scratch.appendingPathComponent("settings.json"), atomically: true, encoding: .utf8)
            }
            return ["train", "--index", index.path, "--config", scratch.appendingPathComponent("settings.json").path,
                    "--steps", "\(steps)", "--batch-size", "4"]
        }, use: { scratch in
            ("retrieve", ["query", "--index", scratch.appendingPathComponent("index").path, "steam engine", "-k", "2", "--beams", "2"])
        }),
    ]

    @Test(arguments: runs)
    func aKilledRunKeepsThePreviousOutputLoadable(_ run: Run) throws {
        let scratch = try scratchFolder(run.name)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let first = try ProductRunner.run(run.tool, try run.train(scratch, 2), scratch: scratch, timeout: 120)
        try #require(first.status == 0, "\(first)")
        let (useTool, useArguments) = run.use(scratch)
        let baseline = try ProductRunner.run(useTool, useArguments, scratch: scratch)
        try #require(baseline.status == 0, "the first output does not load: \(baseline)")

        var random = SeededGenerator(seed: 12)
        for round in 0..<2 {
            let (process, _, _) = try ProductRunner.start(run.tool, try run.train(scratch, 100_000), scratch: scratch)
            usleep(UInt32.random(in: 200_000...2_500_000, using: &random))
            #expect(process.isRunning, "round \(round): the long run ended early")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let used = try ProductRunner.run(useTool, useArguments, scratch: scratch)
            #expect(used.status == 0 && !used.signalled, "round \(round): the output no longer loads: \(used)")
        }
    }
}
