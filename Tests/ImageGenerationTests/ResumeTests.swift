import Autograd
import Foundation
import ImageGeneration
import Tensors
import Testing
import Training

/// `--resume`: a run stopped after k steps and resumed from its checkpoint ends with the same
/// weights (and loss curve) as an uninterrupted run, VQ codebook state included.
struct ResumeTests {
    /// A constant decay horizon, so that a run of 6 steps and one of 12 share a schedule.
    static func training(steps: Int, folder: URL) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.steps = steps
        c.decaySteps = 12
        c.warmupSteps = 2
        c.learningRate = 1e-2
        c.minimumLearningRate = 1e-3
        c.checkpointInterval = 6
        c.outputDirectory = folder.path
        return c
    }

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("image-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The largest absolute difference between two models' parameters (0 when bit-identical).
    static func largestDifference(_ a: [Variable], _ b: [Variable]) -> Float {
        zip(a, b).map { zip($0.value.scalars, $1.value.scalars).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
    }

    @Test func resumedTokenizerMatchesAnUninterruptedRun() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        var g = SeededGenerator(seed: 21)
        let images = Tensor.uniform([6, 1, 8, 8], using: &g)
        let dataset = try ImageDataset(width: 8, height: 8, channels: 1, pixels: images.scalars.map { UInt8($0 * 255) },
                                       labels: [0, 1, 0, 1, 0, 1], classNames: ["a", "b"])
        func tokenizer() throws -> ImageTokenizer {
            var g = SeededGenerator(seed: 5)
            return try ImageTokenizer(configuration: TokenizerTests.tiny(.vectorQuantized), generator: &g)
        }
        // Restarts every 4 steps: the one at step 8 depends on usage counted before the stop.
        let whole = try tokenizer()
        let expected = try whole.train(on: dataset, batchSize: 3, training: Self.training(steps: 12, folder: folder.appendingPathComponent("whole")),
                                       restartInterval: 4, progress: { _ in })
        let stopped = folder.appendingPathComponent("stopped")
        _ = try tokenizer().train(on: dataset, batchSize: 3, training: Self.training(steps: 6, folder: stopped), restartInterval: 4, progress: { _ in })
        let resumed = try tokenizer()
        var lines: [String] = []
        let history = try resumed.train(on: dataset, batchSize: 3, training: Self.training(steps: 12, folder: stopped), restartInterval: 4,
                                        resume: true, progress: { lines.append($0) })
        #expect(lines.contains { $0.hasPrefix("resumed from ") && $0.hasSuffix("at step 6") }, "\(lines)")
        #expect(history.map(\.trainingLoss) == expected.map(\.trainingLoss))
        #expect(Self.largestDifference(resumed.parameters, whole.parameters) == 0)
        #expect(resumed.quantizer!.movingAverages().sums == whole.quantizer!.movingAverages().sums, "codebook moving averages differ")
    }

    @Test(arguments: GeneratorConfiguration.Kind.allCases)
    func resumedGeneratorMatchesAnUninterruptedRun(kind: GeneratorConfiguration.Kind) throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let grids = [[0, 1, 2, 3, 4, 0, 1, 2], [4, 4, 3, 3, 2, 2, 1, 1], [1, 0, 1, 0, 1, 0, 1, 0]]
        let validation = (tokens: [grids[0]], labels: [0])
        func model(seed: UInt64) throws -> ImageTokenModel {
            var g = SeededGenerator(seed: seed)
            return try ImageTokenModel(configuration: GeneratorTests.tiny(kind), generator: &g)
        }
        let whole = try model(seed: 2)
        let expected = try whole.train(tokens: grids, labels: [0, 1, 2], batchSize: 4, training: Self.training(steps: 12, folder: folder.appendingPathComponent("whole")),
                                       validation: validation, progress: { _ in })
        let stopped = folder.appendingPathComponent("stopped")
        _ = try model(seed: 2).train(tokens: grids, labels: [0, 1, 2], batchSize: 4, training: Self.training(steps: 6, folder: stopped),
                                     validation: validation, progress: { _ in })
        // Other initial weights: the checkpoint must replace them.
        let resumed = try model(seed: 99)
        var lines: [String] = []
        let history = try resumed.train(tokens: grids, labels: [0, 1, 2], batchSize: 4, training: Self.training(steps: 12, folder: stopped),
                                        validation: validation, resume: true, progress: { lines.append($0) })
        #expect(lines.contains { $0.hasPrefix("resumed from ") && $0.hasSuffix("at step 6") }, "\(lines)")
        #expect(history.map(\.trainingLoss) == expected.map(\.trainingLoss))
        #expect(Self.largestDifference(resumed.parameters, whole.parameters) == 0)
    }

    @Test func resumeWithoutACheckpointStartsAtStepZero() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        var g = SeededGenerator(seed: 3)
        let model = try ImageTokenModel(configuration: GeneratorTests.tiny(.autoregressive), generator: &g)
        var lines: [String] = []
        let history = try model.train(tokens: [[0, 1, 2, 3, 4, 0, 1, 2]], labels: [0], batchSize: 2, training: Self.training(steps: 2, folder: folder),
                                      resume: true, progress: { lines.append($0) })
        #expect(history.count == 2)
        #expect(lines.contains { $0.contains("starting at step 0") }, "\(lines)")
        #expect(CheckpointDirectory(url: folder.appendingPathComponent("checkpoint")).resolve() != nil)
    }
}
