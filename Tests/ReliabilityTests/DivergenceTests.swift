import Foundation
import Testing
import Tensors
import TestSupport

/// Issue 10, "numerics": a learning rate far too high makes every application's `train` stop
/// with a one-line error that says training diverged and what to do, a non-zero exit (no
/// trap), and no half-trained model presented as a result; where the command checkpoints,
/// the last good checkpoint is named and still loads.
struct DivergenceTests {
    struct Run: CustomStringConvertible, Sendable {
        let tool: String
        let name: String
        let arguments: @Sendable (_ scratch: URL) throws -> [String]
        /// Files (relative to the scratch folder) that a diverged run must not leave behind.
        let mustNotExist: [String]
        var description: String { name }
    }

    static let learningRate = "1e4"

    static let runs: [Run] = [
        Run(tool: "nexttoken", name: "nexttoken lm train", arguments: { scratch in
            let text = scratch.appendingPathComponent("text.txt")
            try String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 30).write(to: text, atomically: true, encoding: .utf8)
            return ["lm", "train", "--text", text.path, "-o", scratch.appendingPathComponent("run").path,
                    "--layers", "1", "--hidden-size", "16", "--heads", "2", "--context", "16", "--batch-size", "2",
                    "--steps", "60", "--warmup", "1", "--schedule", "constant", "--learning-rate", learningRate,
                    "--checkpoint-interval", "1", "--validation-interval", "5", "--threads", "1"]
        }, mustNotExist: ["run/model.safetensors"]),
        Run(tool: "icons", name: "icons train", arguments: { scratch in
            let dataset = try IconData.dataset(in: scratch)
            return ["train", "--data", dataset.path, "--out", scratch.appendingPathComponent("run").path,
                    "--layers", "1", "--hidden", "16", "--heads", "2", "--context", "96", "--batch-size", "2",
                    "--steps", "60", "--warmup", "1", "--checkpoint-every", "1", "--learning-rate", learningRate]
        }, mustNotExist: ["run/model"]),
        Run(tool: "forecast", name: "forecast train", arguments: { scratch in
            let csv = try SeriesData.csv(in: scratch)
            return ["train", "--input", csv.path, "-o", scratch.appendingPathComponent("run").path, "--segment", "8", "--lookback", "32",
                    "--width", "16", "--layers", "1", "--heads", "2", "--steps", "60", "--batch-size", "4",
                    "--validation-interval", "5", "--learning-rate", learningRate]
        }, mustNotExist: ["run/model.safetensors"]),
        Run(tool: "images", name: "images tokenizer train", arguments: { scratch in
            let data = try ImageData.folder(in: scratch)
            return ["tokenizer", "train", "--data", data.path, "--steps", "60", "--batch-size", "4", "--warmup", "1",
                    "--hidden-channels", "4", "--learning-rate", learningRate, "--log-every", "1",
                    "-o", scratch.appendingPathComponent("tokenizer.safetensors").path]
        }, mustNotExist: ["tokenizer.safetensors"]),
        Run(tool: "images", name: "images train", arguments: { scratch in
            let data = try ImageData.folder(in: scratch)
            return ["train", "--data", data.path, "--tokenizer", BadInputFixtures.assets.appendingPathComponent("images/tokenizer.safetensors").path,
                    "--steps", "60", "--batch-size", "4", "--warmup", "1", "--hidden-size", "16", "--layers", "1", "--heads", "2",
                    "--learning-rate", learningRate, "--log-every", "1", "-o", scratch.appendingPathComponent("generator.safetensors").path]
        }, mustNotExist: ["generator.safetensors"]),
        Run(tool: "retrieve", name: "retrieve train", arguments: { scratch in
            let index = scratch.appendingPathComponent("index")
            try FileManager.default.copyItem(at: BadInputFixtures.assets.appendingPathComponent("retrieve"), to: index)
            try FileManager.default.removeItem(at: index.appendingPathComponent("generator"))
            let config = scratch.appendingPathComponent("settings.json")
            try #"{"learningRate": \#(learningRate), "warmupSteps": 1, "decoder": {"hiddenSize": 16, "layerCount": 1, "headCount": 2, "contextLength": 64}}"#
                .write(to: config, atomically: true, encoding: .utf8)
            return ["train", "--index", index.path, "--config", config.path, "--steps", "60", "--batch-size", "4"]
        }, mustNotExist: ["index/generator"]),
    ]

    @Test(arguments: runs)
    func divergentTrainingStopsWithAdvice(_ run: Run) throws {
        let scratch = try scratchFolder(run.name)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try ProductRunner.run(run.tool, try run.arguments(scratch), scratch: scratch, timeout: 120)
        #expect(!result.signalled, "\(result)")
        #expect(result.status != 0, "a learning rate of \(Self.learningRate) trained to the end: \(result.standardError.suffix(600))")
        let errorLine = result.errorLines.last { $0.hasPrefix("error:") } ?? ""
        #expect(errorLine.contains("diverged"), "\(result.standardError.suffix(800))")
        #expect(errorLine.contains("Lower the learning rate"), "\(errorLine)")
        #expect(result.errorLines.filter { $0.hasPrefix("error:") }.count == 1)
        #expect(!result.standardError.contains("Fatal error"))
        for path in run.mustNotExist {
            #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent(path).path), "\(path) was written by a diverged run")
        }
        // Where a checkpoint was named, it is the last good one and loads.
        if let range = errorLine.range(of: "The last good checkpoint is ") {
            let path = errorLine[range.upperBound...].split(separator: " ").first.map { String($0.dropLast($0.hasSuffix(".") ? 1 : 0)) } ?? ""
            _ = try CrashSafetyTests.checkLoadable(.init(url: URL(fileURLWithPath: path)))
        }
    }
}

/// A 400-row CSV of one seasonal series for the forecast trainer runs.
enum SeriesData {
    /// `scratch/series.csv`, written on first use.
    static func csv(in scratch: URL) throws -> URL {
        let csv = scratch.appendingPathComponent("series.csv")
        if !FileManager.default.fileExists(atPath: csv.path) {
            let rows = (0..<400).map { "\($0),\(sin(Double($0) * 0.3) * 10 + Double($0 % 7))" }
            try ("t,value\n" + rows.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
        }
        return csv
    }
}

/// A tiny MNIST-layout IDX folder (train and test) of random digits.
enum ImageData {
    static func folder(in scratch: URL) throws -> URL {
        let folder = scratch.appendingPathComponent("mnist")
        if FileManager.default.fileExists(atPath: folder.path) { return folder }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var generator = SeededGenerator(seed: 4)
        func idx(_ dimensions: [Int], _ bytes: [UInt8]) -> Data {
            var data = Data([0, 0, 8, UInt8(dimensions.count)])
            for d in dimensions { data.append(contentsOf: withUnsafeBytes(of: UInt32(d).bigEndian, Array.init)) }
            data.append(contentsOf: bytes)
            return data
        }
        for (prefix, count) in [("train", 40), ("t10k", 20)] {
            let pixels = (0..<(count * 784)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try idx([count, 28, 28], pixels).write(to: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
            try idx([count], (0..<count).map { UInt8($0 % 10) }).write(to: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
        }
        return folder
    }
}
