import Autograd
import Foundation
import Tensors
import Testing
import Training

/// Checkpoints: exact resume, divergence that keeps the last good checkpoint, atomicity.
struct CheckpointTests {
    struct SimulatedCrash: Error {}

    func validation(_ model: TinyMLP, _ data: ToyData) -> () throws -> Float {
        { try model.loss(data, rows: Array(32..<64)).value.scalar }
    }

    @Test func resumedRunReproducesTheUninterruptedLossCurveExactly() throws {
        let data = ToyData()
        var configuration = testConfiguration(steps: 12)
        configuration.accumulationSteps = 2
        configuration.checkpointInterval = 4

        // Uninterrupted.
        let reference = TinyMLP(seed: 21)
        let referenceDirectory = try temporaryDirectory("reference")
        defer { try? FileManager.default.removeItem(at: referenceDirectory) }
        configuration.outputDirectory = referenceDirectory.path
        let full = try Trainer(parameters: try reference.parameters(), configuration: configuration)
        let expected = try full.train(step: sampledLoss(reference, data), validate: validation(reference, data))

        // Interrupted at step 6 (after the checkpoint at step 4), then resumed in a new
        // trainer whose model starts from different weights.
        let interruptedDirectory = try temporaryDirectory("interrupted")
        defer { try? FileManager.default.removeItem(at: interruptedDirectory) }
        configuration.outputDirectory = interruptedDirectory.path
        let first = TinyMLP(seed: 21)
        let interrupted = try Trainer(parameters: try first.parameters(), configuration: configuration)
        let crashing: Trainer.LossFunction = { step, microBatch, generator in
            if step == 6 { throw SimulatedCrash() }
            return try sampledLoss(first, data)(step, microBatch, &generator)
        }
        #expect(throws: SimulatedCrash.self) { try interrupted.train(step: crashing, validate: validation(first, data)) }
        #expect(interrupted.completedSteps == 6)

        let second = TinyMLP(seed: 999)
        let resumed = try Trainer(parameters: try second.parameters(), configuration: configuration)
        let checkpoint = try #require(resumed.latestCheckpoint())
        try resumed.resume(from: checkpoint)
        #expect(resumed.completedSteps == 4)
        #expect(resumed.optimizer.stepCount == 4)
        let history = try resumed.train(step: sampledLoss(second, data), validate: validation(second, data))

        #expect(history == expected)  // every loss, rate and norm bit-identical
        #expect(try second.parameters().snapshot() == reference.parameters().snapshot())
    }

    @Test func checkpointDirectoryHoldsTheDocumentedFiles() throws {
        let data = ToyData()
        let model = TinyMLP(seed: 2)
        let output = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let trainer = try Trainer(parameters: try model.parameters(), configuration: testConfiguration(steps: 5, outputDirectory: output))
        try trainer.train(step: sampledLoss(model, data))
        let checkpoint = output.appendingPathComponent("checkpoint")
        let files = try FileManager.default.contentsOfDirectory(atPath: checkpoint.path).sorted()
        #expect(files == ["model.safetensors", "optimizer.safetensors", "trainer.json"])
        // Only the final checkpoint remains: no temporary or previous directories.
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == ["checkpoint"])
        let state = try TrainerState.read(from: checkpoint.appendingPathComponent("trainer.json"))
        #expect(state.completedSteps == 5)
        #expect(state.randomness.seed == 7)
        #expect(state.history == trainer.history)
    }

    @Test func divergenceStopsWithAdviceAndKeepsTheLastGoodCheckpoint() throws {
        let data = ToyData()
        let model = TinyMLP(seed: 4)
        let output = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        var configuration = testConfiguration(steps: 20, learningRate: 1e30, outputDirectory: output)
        configuration.schedule = .constant
        configuration.warmupSteps = 0
        configuration.weightDecay = 0
        configuration.checkpointInterval = 1
        let trainer = try Trainer(parameters: try model.parameters(), configuration: configuration)

        var caught: TrainingError?
        do {
            try trainer.train(step: sampledLoss(model, data))
        } catch let error as TrainingError {
            caught = error
        }
        guard case let .diverged(step, quantity, value, learningRate, lastCheckpoint, advice) = try #require(caught) else {
            Issue.record("expected a divergence, got \(String(describing: caught))")
            return
        }
        #expect(!value.isFinite)
        #expect(quantity == .loss || quantity == .gradientNorm)
        #expect(learningRate == 1e30)
        #expect(advice.contains("Lower the learning rate"))
        #expect(step == trainer.completedSteps)
        #expect(step >= 1)
        #expect(lastCheckpoint == output.appendingPathComponent("checkpoint").path)
        #expect("\(caught!)".contains("diverged at step \(step)"))

        // The checkpoint holds the last good step, and loads into a fresh model.
        let checkpoint = try #require(trainer.latestCheckpoint())
        let state = try TrainerState.read(from: checkpoint.appendingPathComponent("trainer.json"))
        #expect(state.completedSteps == step)
        let fresh = TinyMLP(seed: 77)
        let restored = try Trainer(parameters: try fresh.parameters(), configuration: configuration)
        try restored.resume(from: checkpoint)
        #expect(try fresh.parameters().snapshot() == model.parameters().snapshot())
        #expect(fresh.w1.value.scalars.allSatisfy { $0.isFinite })
    }

    @Test func failedWriteLeavesThePreviousCheckpointIntact() throws {
        let data = ToyData()
        let model = TinyMLP(seed: 2)
        let output = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let trainer = try Trainer(parameters: try model.parameters(), configuration: testConfiguration(steps: 4, outputDirectory: output))
        try trainer.train(step: sampledLoss(model, data))
        let directory = trainer.checkpointDirectory
        struct DiskFull: Error {}
        #expect(throws: DiskFull.self) {
            try directory.write { temporary in
                try Data("partial".utf8).write(to: temporary.appendingPathComponent("model.safetensors"))
                throw DiskFull()
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == ["checkpoint"])
        #expect(try TrainerState.read(from: directory.url.appendingPathComponent("trainer.json")).completedSteps == 4)

        // A crash between the two renames leaves only `.previous`; resolve() finds it.
        try FileManager.default.moveItem(at: directory.url, to: directory.previousURL)
        #expect(directory.resolve() == directory.previousURL)
    }

    @Test func resumeRejectsAnotherModelNamingTheTensor() throws {
        let data = ToyData()
        let model = TinyMLP(seed: 2)
        let output = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let configuration = testConfiguration(steps: 4, outputDirectory: output)
        try Trainer(parameters: try model.parameters(), configuration: configuration).train(step: sampledLoss(model, data))

        let wider = TinyMLP(hiddenSize: 8, seed: 3)
        let before = try wider.parameters().snapshot()
        let trainer = try Trainer(parameters: try wider.parameters(), configuration: configuration)
        #expect {
            try trainer.resume(from: output.appendingPathComponent("checkpoint"))
        } throws: { error in
            guard case let .tensorMismatch(_, tensor, _) = error as? TrainingError else { return false }
            return tensor == "fc1.weight"
        }
        #expect(try wider.parameters().snapshot() == before)
        #expect(trainer.completedSteps == 0)
        #expect(throws: TrainingError.self) { try trainer.resume(from: output.appendingPathComponent("missing")) }
    }
}
