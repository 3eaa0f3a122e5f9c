import Foundation
import Testing
import Training

/// `TrainingRun`: the run folder every trainer shares: nothing on disk before `begin`, one
/// policy for `--resume` without a checkpoint, recorded settings that win on resume (with a
/// note), and a `metrics.jsonl` row per step that a resumed run continues without duplicates.
struct TrainingRunTests {
    /// Notes of one run (training runs on the calling thread).
    final class Notes { var lines: [String] = [] }

    struct Shape: Codable, Equatable { var width: Int; var layers: Int }

    /// Trains the tiny perceptron for `steps` steps in `folder` (checkpoints every 4 steps,
    /// validation every 4), through a `TrainingRun`.
    @discardableResult
    static func train(_ folder: URL, steps: Int, resume: Bool, notes: Notes = Notes(), seed: UInt64 = 4, crashAt: Int? = nil) throws -> Trainer {
        let data = ToyData()
        let model = TinyMLP(seed: seed)
        let run = TrainingRun(directory: folder, resume: resume, note: { notes.lines.append($0) })
        try run.begin(records: [try .init("run-configuration.json", encoding: Shape(width: 16, layers: 2))])
        let trainer = try Trainer(parameters: try model.parameters(), configuration: testConfiguration(steps: steps, outputDirectory: folder))
        try run.attach(trainer)
        let loss = sampledLoss(model, data)
        do {
            try trainer.train(step: { step, microBatch, generator in
                if step == crashAt { throw CocoaError(.userCancelled) }
                return try loss(step, microBatch, &generator)
            }, validate: { try model.loss(data, rows: Array(0..<16)).value.scalar })
        } catch is CocoaError {}
        return trainer
    }

    @Test func nothingIsWrittenBeforeBegin() throws {
        let parent = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent("run")
        for resume in [false, true] {
            let run = TrainingRun(directory: folder, resume: resume, note: { _ in })
            #expect(!run.isResuming)
            #expect(try run.recorded(Shape.self, from: "run-configuration.json") == nil)
            #expect(try run.settle(Shape(width: 1, layers: 1), recordedIn: "run-configuration.json") { _ in "" } == Shape(width: 1, layers: 1))
            #expect(!run.holdsRun(records: ["run-configuration.json"]))
        }
        // A caller that fails on its inputs here (before begin) leaves no folder behind.
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        try TrainingRun(directory: folder, resume: false, note: { _ in }).begin(records: [try .init("a.json", encoding: [1])])
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("a.json").path))
    }

    @Test func resumeWithoutACheckpointStartsANewRunWithANote() throws {
        let folder = try temporaryDirectory().appendingPathComponent("run")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let notes = Notes()
        let trainer = try Self.train(folder, steps: 3, resume: true, notes: notes)
        #expect(trainer.history.first?.step == 1 && trainer.completedSteps == 3)
        #expect(notes.lines.filter { $0.hasPrefix("--resume: no checkpoint in ") && $0.contains("starting at step 0") }.count == 1, "\(notes.lines)")
        #expect(!notes.lines.contains { $0.hasPrefix("resumed from") })
        #expect(CheckpointDirectory(url: folder.appendingPathComponent("checkpoint")).resolve() != nil)
    }

    @Test func metricsRowsFollowTheStepsAcrossAResume() throws {
        let parent = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let whole = parent.appendingPathComponent("whole"), split = parent.appendingPathComponent("split")
        let reference = try Self.train(whole, steps: 10, resume: false)
        let rows = try TrainingMetrics.read(from: whole.appendingPathComponent(TrainingRun.metricsFileName))
        #expect(rows.map(\.step) == Array(1...10))
        #expect(rows.map(\.loss) == reference.history.map(\.trainingLoss))
        #expect(rows.map(\.learningRate) == reference.history.map(\.learningRate))
        #expect(rows.allSatisfy { $0.tokensPerSecond > 0 && $0.tokensPerSecond.isFinite })
        #expect(rows.filter { $0.validationLoss != nil }.map(\.step) == [4, 8, 10])
        let line = try #require(String(contentsOf: whole.appendingPathComponent(TrainingRun.metricsFileName), encoding: .utf8)
            .split(separator: "\n").first { $0.contains("\"step\":4,") })
        for key in ["\"step\"", "\"loss\"", "\"learning_rate\"", "\"tokens_per_second\"", "\"validation_loss\""] {
            #expect(line.contains(key), "\(line)")
        }

        // A run stopped during step 6 (checkpoint at 4; rows 5 and a cut-short 6 written after
        // it, as by a kill) resumes at step 4 and rewrites those rows: one row per step, as the
        // uninterrupted run.
        try Self.train(split, steps: 10, resume: false, crashAt: 5)
        let metrics = split.appendingPathComponent(TrainingRun.metricsFileName)
        try (String(contentsOf: metrics, encoding: .utf8) + #"{"learning_rate":0.01,"loss":9,"step":5,"tokens_per_second":1}"# + "\n"
             + #"{"learning_rate":0.01,"loss":9,"st"#).write(to: metrics, atomically: true, encoding: .utf8)   // ... rows after it, the last cut short
        let notes = Notes()
        let resumed = try Self.train(split, steps: 10, resume: true, notes: notes, seed: 99)
        #expect(notes.lines.contains { $0.hasPrefix("resumed from ") && $0.hasSuffix("at step 4") }, "\(notes.lines)")
        let continued = try TrainingMetrics.read(from: metrics)
        #expect(continued.map(\.step) == Array(1...10))
        #expect(continued.map(\.loss) == rows.map(\.loss))
        #expect(resumed.history.map(\.trainingLoss) == reference.history.map(\.trainingLoss))
    }

    @Test func recordedSettingsWinOnResumeWithANoteWhenTheOptionsDiffer() throws {
        let folder = try temporaryDirectory().appendingPathComponent("run")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try Self.train(folder, steps: 4, resume: false)
        let notes = Notes()
        let run = TrainingRun(directory: folder, resume: true, note: { notes.lines.append($0) })
        #expect(run.isResuming)
        let same = try run.settle(Shape(width: 16, layers: 2), recordedIn: "run-configuration.json") { _ in "differs" }
        #expect(same == Shape(width: 16, layers: 2) && notes.lines.isEmpty)
        let settled = try run.settle(Shape(width: 32, layers: 2), recordedIn: "run-configuration.json") { saved in "width \(saved.width)" }
        #expect(settled == Shape(width: 16, layers: 2))
        #expect(notes.lines == ["width 16"])
        // Without --resume, the options given apply and nothing is read.
        let fresh = TrainingRun(directory: folder, resume: false, note: { notes.lines.append($0) })
        #expect(try fresh.settle(Shape(width: 32, layers: 2), recordedIn: "run-configuration.json") { _ in "" } == Shape(width: 32, layers: 2))
        #expect(fresh.holdsRun())
    }

    @Test func aNewRunReplacesTheOldRunsCheckpointAndMetrics() throws {
        let folder = try temporaryDirectory().appendingPathComponent("run")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try Self.train(folder, steps: 8, resume: false)
        let notes = Notes()
        let run = TrainingRun(directory: folder, resume: false, note: { notes.lines.append($0) })
        try run.begin()
        #expect(notes.lines.contains { $0.hasPrefix("starting a new run in ") }, "\(notes.lines)")
        #expect(CheckpointDirectory(url: folder.appendingPathComponent("checkpoint")).resolve() == nil)
        #expect(!FileManager.default.fileExists(atPath: run.metricsURL.path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("run-configuration.json").path))
    }

    @Test func malformedRecordsAndMetricsAreNamed() throws {
        let folder = try temporaryDirectory().appendingPathComponent("run")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try Self.train(folder, steps: 4, resume: false)
        try #"{"width": "wide", "layers": 2}"#.write(to: folder.appendingPathComponent("run-configuration.json"), atomically: true, encoding: .utf8)
        #expect {
            _ = try TrainingRun(directory: folder, resume: true, note: { _ in }).recorded(Shape.self, from: "run-configuration.json")
        } throws: { "\($0)".contains("run-configuration.json") && "\($0)".contains("width") }
        let metrics = folder.appendingPathComponent(TrainingRun.metricsFileName)
        try "{\"step\": 1}\n{}\n".write(to: metrics, atomically: true, encoding: .utf8)
        #expect { _ = try TrainingMetrics.read(from: metrics) } throws: { "\($0)".contains("line 1") && "\($0)".contains("metrics.jsonl") }
    }
}
