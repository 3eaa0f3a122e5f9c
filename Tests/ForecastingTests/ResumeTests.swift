import Forecasting
import Foundation
import Testing
import TestSupport
import Training

/// `forecast train --resume`: a run stopped after a few steps and resumed from its checkpoint
/// ends with the same weights and loss curve as an uninterrupted run, moving average and
/// best validation weights included.
struct ResumeTests {
    struct Outcome {
        var weights: [[Float]]
        var history: [TrainingRecord]
        var summary: ForecastTrainingSummary
    }

    /// Trains a tiny AutoTimes forecaster (dropout on, weight averaging on) in `directory`.
    func train(_ directory: URL, stopAfter: Int? = nil, resume: Bool = false, log: @escaping (String) -> Void = { _ in }) throws -> Outcome {
        let table = ForecastFixtures.seasonalTable()
        let split = try DataSplit.make(.ratio, length: table.length)
        var configuration = ForecastFixtures.tinyConfiguration()
        configuration.dropout = 0.1
        let forecaster = try Forecaster(configuration: configuration, seed: 4)
        var options = ForecastFixtures.tinyOptions(steps: 12)
        options.averagingDecay = 0.9
        options.checkpointing = ForecastCheckpointing(directory: directory.path, every: 4, resume: resume, stopAfter: stopAfter)
        let summary = try forecaster.train(on: [table], splits: [split], options: options, progress: log)
        let checkpoint = try #require(CheckpointDirectory(url: directory.appendingPathComponent("checkpoint")).resolve())
        let state = try TrainerState.read(from: checkpoint.appendingPathComponent(CheckpointDirectory.trainerFileName))
        return Outcome(weights: forecaster.network.trainableParameters.map(\.value.scalars), history: state.history, summary: summary)
    }

    @Test func stoppedAndResumedRunMatchesAnUninterruptedOne() throws {
        let whole = ForecastFixtures.temporaryDirectory(), split = ForecastFixtures.temporaryDirectory()
        defer { for url in [whole, split] { try? FileManager.default.removeItem(at: url) } }
        let reference = try train(whole)
        #expect(reference.history.count == 12)

        // Stop after 7 steps (checkpoint at 4, validation and best weights at 5, stop at 7).
        let first = try train(split, stopAfter: 7)
        #expect(first.history.count == 7)
        #expect(first.summary.steps == 7, "the summary counts the steps done, not the steps planned")
        #expect(first.history == Array(reference.history.prefix(7)))
        #expect(FileManager.default.fileExists(atPath: split.appendingPathComponent("checkpoint/\(ForecastCheckpointing.stateFileName)").path))

        var lines: [String] = []
        let resumed = try train(split, resume: true, log: { lines.append($0) })
        #expect(lines.contains { $0.contains("resumed from") && $0.hasSuffix("at step 7") }, "\(lines)")
        #expect(resumed.history == reference.history)
        #expect(resumed.weights == reference.weights)
        #expect(resumed.summary.steps == 12 && reference.summary.steps == 12)
        #expect(resumed.summary.bestStep == reference.summary.bestStep)
        #expect(resumed.summary.bestValidationLoss == reference.summary.bestValidationLoss)
    }

    @Test func resumeWithoutCheckpointStartsAtZeroAndBadStateIsNamed() throws {
        let directory = ForecastFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var lines: [String] = []
        let fresh = try train(directory, stopAfter: 3, resume: true, log: { lines.append($0) })
        #expect(fresh.history.count == 3)
        #expect(lines.contains { $0.contains("no checkpoint") }, "\(lines)")
        // A checkpoint whose loop state is missing is refused with the file's path.
        let state = directory.appendingPathComponent("checkpoint/\(ForecastCheckpointing.stateFileName)")
        try FileManager.default.removeItem(at: state)
        #expect { _ = try train(directory, resume: true) } throws: { error in
            "\(error)".contains(ForecastCheckpointing.stateFileName)
        }
    }
}
