import Foundation
import NeuralNetworks
import Training

/// The run folder of `retrieve train` (a ``TrainingRun`` folder): periodic checkpoints and
/// what `--resume` needs.
///
/// It lives inside the index folder, beside `generator/`, as `training-run/`:
///
/// | entry | what |
/// | --- | --- |
/// | `settings.json` | the run's ``GeneratorTrainingSettings`` |
/// | `model.json` | the decoder's ``DecoderConfiguration`` (also for `--init-from` models) |
/// | `checkpoint/` | the ``Trainer``'s atomic checkpoint (weights, AdamW moments, step, randomness, history) |
/// | `metrics.jsonl`, `training-summary.json` | per-step metrics and the summary |
///
/// Nothing that reads an index looks at it, so a run killed at any moment leaves the index
/// loadable; `retrieve index build` replaces the whole index folder and with it a stale run.
/// Everything a resumed run needs besides the Trainer's state is derived again from the
/// settings and the index: the data order comes from the Trainer's per-step generators and
/// the held-out examples from `seed`, so no other state is kept.
///
/// ```swift
/// let run = GeneratorTrainingRun(checkpointEvery: 100, resume: true)
/// let summary = try GeneratorTraining.train(index: index, queries: queries, qrels: nil, settings: settings, run: run)
/// ```
public struct GeneratorTrainingRun: Sendable, Equatable {
    /// Name of the run folder inside the index folder.
    public static let folderName = "training-run"
    static let settingsFileName = "settings.json"
    static let modelFileName = "model.json"

    /// Write a checkpoint every this many steps (and after the last); 0 writes only the final one. Default 100.
    public var checkpointEvery: Int
    /// Continue from the run folder's checkpoint when there is one (a new run, with a note, otherwise).
    public var resume: Bool

    /// End this session once this many steps are complete, with a checkpoint and the
    /// generator written, as if the run had been stopped there; `resume` continues it. Nil
    /// (the default) trains all `steps`.
    public var stopAfterStep: Int?

    /// End this session after this many seconds, between steps, with a checkpoint (when
    /// checkpoints are on) and the generator written; `resume` continues it. Nil: no limit.
    public var timeLimit: Double?

    /// Run controls; the defaults checkpoint every 100 steps and start a new run.
    public init(checkpointEvery: Int = 100, resume: Bool = false, stopAfterStep: Int? = nil, timeLimit: Double? = nil) {
        self.checkpointEvery = checkpointEvery
        self.resume = resume
        self.stopAfterStep = stopAfterStep
        self.timeLimit = timeLimit
    }

    /// Thrown by the step closure to end a session at ``stopAfterStep``.
    struct Stop: Error {}

    /// The run folder of `index`.
    public static func directory(of index: RetrievalIndex) -> URL {
        index.directory.appendingPathComponent(folderName, isDirectory: true)
    }

    /// What a resumable run folder holds.
    struct Saved {
        var settings: GeneratorTrainingSettings
        var model: DecoderConfiguration
        var checkpoint: URL
    }

    /// The saved run of `run` when it resumes from a complete checkpoint, else nil.
    /// - Throws: ``RetrievalError/invalidIndex(path:reason:)`` when a settings file is missing;
    ///   `TrainingError.checkpoint` naming the file and field when one is malformed.
    static func saved(in run: TrainingRun) throws -> Saved? {
        guard let checkpoint = run.checkpoint else { return nil }
        func read<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
            guard let value = try run.recorded(type, from: name) else {
                throw RetrievalError.invalidIndex(path: run.directory.appendingPathComponent(name).path,
                                                  reason: "the training run's \(name) is missing")
            }
            return value
        }
        return Saved(settings: try read(GeneratorTrainingSettings.self, settingsFileName),
                     model: try read(DecoderConfiguration.self, modelFileName), checkpoint: checkpoint)
    }

    /// The records of a new run: its settings and model shape.
    static func records(settings: GeneratorTrainingSettings, model: DecoderConfiguration) throws -> [TrainingRun.Record] {
        [try .init(settingsFileName, encoding: settings), try .init(modelFileName, encoding: model)]
    }

    /// Checks that `requested` equals the saved settings in everything but `steps` (which a
    /// resumed run may extend), naming the first field that differs.
    static func checkCompatible(_ requested: GeneratorTrainingSettings, saved: GeneratorTrainingSettings, directory: URL) throws {
        var expected = saved
        expected.steps = requested.steps
        guard requested != expected else { return }
        let fields: [(String, Bool)] = [
            ("batchSize", requested.batchSize == saved.batchSize), ("seed", requested.seed == saved.seed),
            ("heldOutPercent", requested.heldOutPercent == saved.heldOutPercent), ("decoder", requested.decoder == saved.decoder),
            ("learningRate", requested.learningRate == saved.learningRate), ("warmupSteps", requested.warmupSteps == saved.warmupSteps),
            ("supervisedFraction", requested.supervisedFraction == saved.supervisedFraction),
            ("spanTemperature", requested.spanTemperature == saved.spanTemperature),
            ("copyFraction", requested.copyFraction == saved.copyFraction),
            ("pseudoQuestionFraction", requested.pseudoQuestionFraction == saved.pseudoQuestionFraction),
        ]
        let field = fields.first { !$0.1 }?.0 ?? "halfPrecision"
        throw RetrievalError.invalidSetting(
            field: "--resume",
            reason: "the settings differ from the run in \(directory.path) (field \(field)); only --steps may change when resuming")
    }
}
