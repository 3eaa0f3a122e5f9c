import FMIndex
import Foundation
import SafeTensors
import Testing
import TestSupport
import Tensors
import Training

#if canImport(Glibc)
import Glibc
#endif

/// Issue 10, "crash safety": `train` is killed with SIGKILL at seeded random moments after its
/// first checkpoint; the checkpoint left behind must load (every file complete, checksums
/// right) and `--resume` must continue from its step, not from 0. `retrieve index build` is
/// killed while replacing an index; the old index must stay loadable.
@Suite(.serialized)
struct CrashSafetyTests {
    /// A training command whose run folder keeps `checkpoint/` and which takes `--resume`.
    struct Run: CustomStringConvertible, Sendable {
        let tool: String
        let name: String
        /// Builds the data in the scratch folder and returns the arguments for `steps` total steps.
        let arguments: @Sendable (_ scratch: URL, _ steps: Int) throws -> [String]
        /// The run folder (holding `checkpoint/`) inside the scratch folder.
        let runFolder: String
        var description: String { name }
    }

    static let runs: [Run] = [
        Run(tool: "nexttoken", name: "nexttoken lm train", arguments: { scratch, steps in
            let text = scratch.appendingPathComponent("text.txt")
            if !FileManager.default.fileExists(atPath: text.path) {
                try String(repeating: "the quick brown fox jumps over the lazy dog. a stitch in time saves nine. ", count: 40)
                    .write(to: text, atomically: true, encoding: .utf8)
            }
            return ["lm", "train", "--text", text.path, "-o", scratch.appendingPathComponent("run").path,
                    "--layers", "1", "--hidden-size", "16", "--heads", "2", "--context", "16", "--batch-size", "2",
                    "--steps", "\(steps)", "--warmup", "1", "--checkpoint-interval", "2", "--validation-interval", "1000",
                    "--log-interval", "1", "--threads", "1", "--seed", "3"]
        }, runFolder: "run"),
        Run(tool: "icons", name: "icons train", arguments: { scratch, steps in
            let dataset = try IconData.dataset(in: scratch)
            return ["train", "--data", dataset.path, "--out", scratch.appendingPathComponent("run").path,
                    "--layers", "1", "--hidden", "16", "--heads", "2", "--context", "96", "--batch-size", "2",
                    "--steps", "\(steps)", "--warmup", "1", "--checkpoint-every", "2", "--seed", "5"]
        }, runFolder: "run"),
        Run(tool: "retrieve", name: "retrieve train", arguments: { scratch, steps in
            let index = scratch.appendingPathComponent("index")
            if !FileManager.default.fileExists(atPath: index.path) {
                try FileManager.default.copyItem(at: BadInputFixtures.assets.appendingPathComponent("retrieve"), to: index)
                try #"{"warmupSteps": 1, "seed": 6, "decoder": {"hiddenSize": 16, "layerCount": 1, "headCount": 2, "contextLength": 64}}"#
                    .write(to: scratch.appendingPathComponent("settings.json"), atomically: true, encoding: .utf8)
            }
            return ["train", "--index", index.path, "--config", scratch.appendingPathComponent("settings.json").path,
                    "--steps", "\(steps)", "--batch-size", "4", "--checkpoint-every", "2"]
        }, runFolder: "index/training-run"),
        Run(tool: "images", name: "images tokenizer train", arguments: { scratch, steps in try ImageRuns.tokenizer(scratch, steps: steps) },
            runFolder: "tokenizer-run"),
        Run(tool: "images", name: "images train", arguments: { scratch, steps in try ImageRuns.generator(scratch, steps: steps) },
            runFolder: "run"),
        Run(tool: "forecast", name: "forecast train", arguments: { scratch, steps in
            let csv = try SeriesData.csv(in: scratch)
            return ["train", "--input", csv.path, "-o", scratch.appendingPathComponent("run").path, "--segment", "8", "--lookback", "32",
                    "--width", "16", "--layers", "1", "--heads", "2", "--steps", "\(steps)", "--batch-size", "4",
                    "--validation-interval", "3", "--validation-windows", "8", "--averaging-decay", "0.9", "--checkpoint-every", "2", "--seed", "2"]
        }, runFolder: "run"),
    ]

    @Test(arguments: runs)
    func killedTrainingResumesFromItsLastCheckpoint(_ run: Run) throws {
        let scratch = try scratchFolder(run.name)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var random = SeededGenerator(seed: 10)
        let checkpoint = CheckpointDirectory(url: scratch.appendingPathComponent(run.runFolder).appendingPathComponent("checkpoint"))
        var lastStep = 0
        for round in 0..<2 {
            var arguments = try run.arguments(scratch, 100_000)
            if round > 0 { arguments.append("--resume") }
            let (process, _, errorURL) = try ProductRunner.start(run.tool, arguments, scratch: scratch)
            // Wait for a checkpoint newer than the last one, then kill at a random moment.
            let deadline = Date().addingTimeInterval(120)
            while (Self.completedSteps(checkpoint) ?? 0) <= lastStep && process.isRunning && Date() < deadline { usleep(20_000) }
            #expect(process.isRunning, "\(run.name) stopped early: \(String(decoding: (try? Data(contentsOf: errorURL)) ?? Data(), as: UTF8.self).suffix(800))")
            usleep(UInt32.random(in: 0...1_500_000, using: &random))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let errors = String(decoding: (try? Data(contentsOf: errorURL)) ?? Data(), as: UTF8.self)
            if round > 0 {
                #expect(errors.contains("resumed from") && errors.contains("at step \(lastStep)"), "round \(round): \(errors.suffix(800))")
            }
            let steps = try Self.checkLoadable(checkpoint)
            #expect(steps > lastStep, "round \(round): the checkpoint went from step \(lastStep) to \(steps)")
            lastStep = steps
        }
        // Finish: two more steps from the last checkpoint.
        let result = try ProductRunner.run(run.tool, try run.arguments(scratch, lastStep + 2) + ["--resume"], scratch: scratch, timeout: 120)
        #expect(result.status == 0 && !result.signalled, "\(result)")
        #expect(result.standardError.contains("at step \(lastStep)"), "\(result.standardError.suffix(800))")
        #expect(try Self.checkLoadable(checkpoint) == lastStep + 2)
    }

    @Test(arguments: runs)
    func maxMinutesStopsWithACheckpointThatResumes(_ run: Run) throws {
        let scratch = try scratchFolder(run.name + " time limit")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let checkpoint = CheckpointDirectory(url: scratch.appendingPathComponent(run.runFolder).appendingPathComponent("checkpoint"))
        // 100,000 steps would take hours; 0.03 minutes stops the run after a few seconds.
        let stopped = try ProductRunner.run(run.tool, try run.arguments(scratch, 100_000) + ["--max-minutes", "0.03"], scratch: scratch, timeout: 120)
        #expect(stopped.status == 0 && !stopped.signalled, "\(stopped)")
        #expect(stopped.standardError.contains("time limit reached"), "\(stopped.standardError.suffix(800))")
        let steps = try Self.checkLoadable(checkpoint)
        #expect(steps > 0 && steps < 100_000)
        let resumed = try ProductRunner.run(run.tool, try run.arguments(scratch, steps + 1) + ["--resume"], scratch: scratch, timeout: 120)
        #expect(resumed.status == 0 && !resumed.signalled, "\(resumed)")
        #expect(try Self.checkLoadable(checkpoint) == steps + 1)
    }

    @Test func forecastResumeRebuildsTheInterruptedRunsShape() throws {
        let run = Self.runs.first { $0.name == "forecast train" }!
        let scratch = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stopped = try ProductRunner.run("forecast", try run.arguments(scratch, 100_000) + ["--max-minutes", "0.02"], scratch: scratch, timeout: 120)
        #expect(stopped.status == 0, "\(stopped)")
        let steps = try Self.checkLoadable(CheckpointDirectory(url: scratch.appendingPathComponent("run/checkpoint")))
        // Other width and layers than the run was started with: the saved shape wins.
        var arguments = try run.arguments(scratch, steps + 1)
        arguments[arguments.firstIndex(of: "--width")! + 1] = "32"
        arguments[arguments.firstIndex(of: "--layers")! + 1] = "2"
        let resumed = try ProductRunner.run("forecast", arguments + ["--resume"], scratch: scratch, timeout: 120)
        #expect(resumed.status == 0, "\(resumed)")
        #expect(resumed.standardError.contains("shape options given now are ignored"), "\(resumed.standardError.suffix(600))")
    }

    /// Steps recorded by the complete checkpoint, or nil when there is none yet.
    static func completedSteps(_ checkpoint: CheckpointDirectory) -> Int? {
        guard let url = checkpoint.resolve() else { return nil }
        return try? TrainerState.read(from: url.appendingPathComponent(CheckpointDirectory.trainerFileName)).completedSteps
    }

    /// Opens every file of the checkpoint (checksums verified) and returns its step count.
    static func checkLoadable(_ checkpoint: CheckpointDirectory, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let url = try #require(checkpoint.resolve(), "no complete checkpoint in \(checkpoint.url.path)", sourceLocation: sourceLocation)
        let state = try TrainerState.read(from: url.appendingPathComponent(CheckpointDirectory.trainerFileName))
        for name in [CheckpointDirectory.modelFileName, CheckpointDirectory.optimizerFileName] {
            let file = try SafeTensorsFile(path: url.appendingPathComponent(name).path)
            for tensor in file.tensors where tensor.dtype.isConvertibleToFloat { _ = try file.floats(tensor.name) }
        }
        return state.completedSteps
    }

    @Test func killedIndexBuildLeavesTheOldIndexLoadable() throws {
        let scratch = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let passages = try String(contentsOf: BadInputFixtures.assets.appendingPathComponent("retrieve/passages.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        let small = scratch.appendingPathComponent("small.jsonl"), large = scratch.appendingPathComponent("large.jsonl")
        try passages.prefix(40).joined(separator: "\n").write(to: small, atomically: true, encoding: .utf8)
        try passages.prefix(800).joined(separator: "\n").write(to: large, atomically: true, encoding: .utf8)
        let index = scratch.appendingPathComponent("index")
        let build = ["index", "build", "--vocabulary-size", "300"]
        let first = try ProductRunner.run("retrieve", build + [small.path, "-o", index.path], scratch: scratch)
        try #require(first.status == 0, "\(first)")
        let started = Date()
        let timed = try ProductRunner.run("retrieve", build + [large.path, "-o", scratch.appendingPathComponent("timed").path], scratch: scratch)
        try #require(timed.status == 0, "\(timed)")
        let duration = Date().timeIntervalSince(started)

        var random = SeededGenerator(seed: 11)
        for _ in 0..<4 {
            let (process, _, _) = try ProductRunner.start("retrieve", build + [large.path, "-o", index.path], scratch: scratch)
            usleep(UInt32(Double.random(in: 0.05...1, using: &random) * duration * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Either the old index or a complete new one: the FM-index verifies its checksum,
            // and `retrieve query` cross-checks manifest, passages and tokenizer.
            let folder = try #require(Self.indexFolder(index))
            let fmIndex = try FMIndex(contentsOf: folder.appendingPathComponent("corpus.fmi").path)
            #expect(fmIndex.documentCount == 40 || fmIndex.documentCount == 800)
            let query = try ProductRunner.run("retrieve", ["query", "--index", index.path, "--no-body", "--no-titles", "fox", "--json"], scratch: scratch)
            #expect(!query.signalled && !query.standardError.contains("Fatal error"), "\(query)")
            #expect(query.status == 0 || query.standardError.contains("generator"), "\(query)")
        }
    }

    /// The index folder a reader would use (the target, or the old folder a kill left aside).
    static func indexFolder(_ target: URL) -> URL? {
        if FileManager.default.fileExists(atPath: target.appendingPathComponent("manifest.json").path) { return target }
        let parent = target.deletingLastPathComponent()
        let aside = (try? FileManager.default.contentsOfDirectory(atPath: parent.path))?.first { $0.hasPrefix(".\(target.lastPathComponent).old-") }
        return aside.map { parent.appendingPathComponent($0) }
    }
}

/// A tiny icon dataset made by `icons dataset build` from inline SVGs.
enum IconData {
    static func dataset(in scratch: URL) throws -> URL {
        let output = scratch.appendingPathComponent("icons.dataset.json")
        if FileManager.default.fileExists(atPath: output.path) { return output }
        let folder = scratch.appendingPathComponent("svg")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let shapes = [
            "box": #"<rect x="4" y="4" width="16" height="16"/>"#,
            "dot": #"<circle cx="12" cy="12" r="6"/>"#,
            "bar": #"<rect x="2" y="10" width="20" height="4"/>"#,
            "tri": #"<path d="M12 3L21 20H3Z"/>"#,
            "pole": #"<rect x="10" y="2" width="4" height="20"/>"#,
            "ring": #"<path d="M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20zm0 4a6 6 0 1 1 0 12a6 6 0 1 1 0-12z"/>"#,
        ]
        for (name, body) in shapes {
            try #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">\#(body)</svg>"#
                .write(to: folder.appendingPathComponent("\(name).svg"), atomically: true, encoding: .utf8)
        }
        let result = try ProductRunner.run("icons", ["dataset", "build", folder.path, "-o", output.path, "--iou-size", "0"], scratch: scratch)
        try #require(result.status == 0, "\(result)")
        return output
    }
}
