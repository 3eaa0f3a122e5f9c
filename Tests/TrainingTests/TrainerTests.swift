import Autograd
import Foundation
import Tensors
import Testing
import Training

/// The training loop: learning, determinism, validation cadence and progress lines.
struct TrainerTests {
    @Test func tinyMLPOverfitsOneBatch() throws {
        let data = ToyData()
        let model = TinyMLP(hiddenSize: 32, seed: 11)
        var configuration = testConfiguration(steps: 150, learningRate: 2e-2)
        configuration.weightDecay = 0
        configuration.validationInterval = 0
        let trainer = try Trainer(parameters: try model.parameters(), configuration: configuration)
        let batch = Array(0..<8)
        let history = try trainer.train(step: { _, _, _ in (loss: try model.loss(data, rows: batch), tokens: 8) })
        #expect(history.count == 150)
        #expect(history.first!.trainingLoss > 0.5)
        #expect(history.last!.trainingLoss < 0.02, "final loss \(history.last!.trainingLoss)")
    }

    @Test func sameSeedGivesIdenticalLosses() throws {
        func run(seed: UInt64) throws -> [TrainingRecord] {
            let data = ToyData()
            let model = TinyMLP(seed: 5)
            var configuration = testConfiguration(steps: 12)
            configuration.seed = seed
            configuration.accumulationSteps = 2
            let trainer = try Trainer(parameters: try model.parameters(), configuration: configuration)
            return try trainer.train(step: sampledLoss(model, data),
                                     validate: { try model.loss(data, rows: Array(32..<64)).value.scalar })
        }
        let first = try run(seed: 7), second = try run(seed: 7), other = try run(seed: 8)
        #expect(first == second)
        #expect(first.map(\.trainingLoss) != other.map(\.trainingLoss))
    }

    @Test func validationRunsAtTheIntervalAndAfterTheLastStep() throws {
        let data = ToyData()
        let model = TinyMLP(seed: 5)
        let trainer = try Trainer(parameters: try model.parameters(), configuration: testConfiguration(steps: 10))
        var calls = 0
        let history = try trainer.train(step: sampledLoss(model, data), validate: {
            calls += 1
            #expect(!Tape.current.isRecording)
            return try model.loss(data, rows: Array(0..<64)).value.scalar
        })
        #expect(history.compactMap { $0.validationLoss == nil ? nil : $0.step } == [4, 8, 10])
        #expect(calls == 3)
        #expect(history.map(\.step) == Array(1...10))
        #expect(trainer.completedSteps == 10)
        // Learning rates follow the schedule: warm-up over 2 steps, then cosine.
        #expect(history[0].learningRate == trainer.schedule.learningRate(atStep: 0))
        #expect(history[1].learningRate == 1e-2)
        // Training further does nothing once the configured steps are done.
        #expect(try trainer.train(step: sampledLoss(model, data)).count == 10)
    }

    @Test func progressLinesAreThrottledAndParsable() throws {
        let data = ToyData()
        let model = TinyMLP(seed: 5)
        var configuration = testConfiguration(steps: 7)
        configuration.logInterval = 3
        let trainer = try Trainer(parameters: try model.parameters(), configuration: configuration)
        final class Lines { var values: [String] = [] }
        let lines = Lines()
        trainer.progressOutput = { lines.values.append($0) }
        try trainer.train(step: sampledLoss(model, data))
        #expect(lines.values.count == 3)  // steps 3, 6 and the last (7)
        let fields = Dictionary(uniqueKeysWithValues: lines.values[2].split(separator: " ").map { field in
            let parts = field.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), String(parts[1]))
        })
        #expect(fields["step"] == "7/7")
        #expect(Float(fields["loss"]!) != nil)
        #expect(Float(fields["lr"]!) != nil)
        #expect(Int(fields["tokens/s"]!)! > 0)
        #expect(fields["eta"] == "0.0s")
        #expect(fields["elapsed"]!.hasSuffix("s"))
    }

    @Test func progressLineFormat() {
        let record = TrainingRecord(step: 40, trainingLoss: 2.34564, validationLoss: 2.4, learningRate: 6e-4,
                                    gradientNorm: 0.8123, tokens: 512)
        let line = ProgressReporter.line(record, totalSteps: 1000, tokensPerSecond: 12345.4, elapsed: 62.14, eta: 1490)
        #expect(line == "step=40/1000 loss=2.3456 val=2.4000 lr=6.000e-04 norm=0.812 tokens/s=12345 elapsed=62.1s eta=1490.0s")
    }

    @Test func invalidConfigurationIsRejectedUpFront() throws {
        var configuration = testConfiguration(steps: 3)
        configuration.accumulationSteps = 0
        #expect(throws: TrainingError.invalidConfiguration(field: "accumulationSteps", detail: "must be >= 1, got 0")) {
            try Trainer(parameters: try TinyMLP(seed: 1).parameters(), configuration: configuration)
        }
    }
}
