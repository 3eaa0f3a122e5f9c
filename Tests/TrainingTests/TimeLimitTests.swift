import Autograd
import Foundation
import Tensors
import Testing
import Training

/// `TrainingConfiguration.timeLimit`: a run stops between steps with a checkpoint, and the
/// resumed run ends exactly where an uninterrupted one does.
struct TimeLimitTests {
    @Test func stoppedRunResumesToTheUninterruptedResult() throws {
        let data = ToyData()
        var configuration = testConfiguration(steps: 40)
        configuration.checkpointInterval = 25   // the stop falls between checkpoints

        let reference = TinyMLP(seed: 4)
        let referenceDirectory = try temporaryDirectory("reference")
        defer { try? FileManager.default.removeItem(at: referenceDirectory) }
        configuration.outputDirectory = referenceDirectory.path
        let expected = try Trainer(parameters: try reference.parameters(), configuration: configuration).train(step: sampledLoss(reference, data))

        let directory = try temporaryDirectory("limited")
        defer { try? FileManager.default.removeItem(at: directory) }
        configuration.outputDirectory = directory.path
        configuration.timeLimit = 0.25
        let first = TinyMLP(seed: 4)
        let limited = try Trainer(parameters: try first.parameters(), configuration: configuration)
        let slow: Trainer.LossFunction = { step, microBatch, generator in
            Thread.sleep(forTimeInterval: 0.02)   // 40 steps take about 0.8 s: the limit stops the run
            return try sampledLoss(first, data)(step, microBatch, &generator)
        }
        try limited.train(step: slow)
        #expect(limited.stoppedByTimeLimit)
        #expect(limited.completedSteps > 0 && limited.completedSteps < 40, "stopped at \(limited.completedSteps)")
        let checkpoint = try #require(limited.latestCheckpoint())

        configuration.timeLimit = nil
        let second = TinyMLP(seed: 77)
        let resumed = try Trainer(parameters: try second.parameters(), configuration: configuration)
        try resumed.resume(from: checkpoint)
        #expect(resumed.completedSteps == limited.completedSteps, "the checkpoint holds the step the limit stopped at")
        let history = try resumed.train(step: sampledLoss(second, data))
        #expect(!resumed.stoppedByTimeLimit)
        #expect(history == expected)
        #expect(try second.parameters().snapshot() == reference.parameters().snapshot())
    }

    @Test func aNonPositiveLimitIsRejectedNamingTheField() {
        var configuration = TrainingConfiguration()
        configuration.timeLimit = 0
        #expect(throws: TrainingError.invalidConfiguration(field: "timeLimit", detail: "must be > 0 seconds, got 0.0")) {
            try configuration.validate()
        }
    }
}
