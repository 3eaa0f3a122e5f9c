import FileIO
import Foundation

/// The run folder of a training command: what every trainer of the project (`lm`, `icons`,
/// `forecast`, `images tokenizer`, `images train`, `retrieve train`) keeps on disk, and the
/// one resume policy they share.
///
/// | entry | what |
/// | --- | --- |
/// | records (e.g. `run-configuration.json`) | the model shape and data settings the run started with |
/// | `checkpoint/` | the ``Trainer``'s atomic checkpoint (``CheckpointDirectory``) |
/// | `metrics.jsonl` | one ``TrainingMetrics/Row`` per step: step, loss, learning rate, tokens/s, validation loss |
/// | `training-summary.json` | what the run did, written at its end |
///
/// The policy:
/// - With `resume` and a complete checkpoint, the run continues from it; the recorded
///   shape and data settings win over the options given, and a note says when they differ
///   (``settle(_:recordedIn:differs:)``).
/// - With `resume` and no checkpoint, a new run starts at step 0 with a one-line note, so a
///   script that always passes `--resume` works on its first run too.
/// - Without `resume`, a new run starts; an old run's checkpoint, metrics and summary in the
///   folder are removed when the new run begins (a note says so). Commands that must not
///   replace a run refuse first, using ``holdsRun``.
///
/// Nothing is written until ``begin(records:)``, which a trainer calls once its inputs are
/// known to be good: a training that fails for lack of data leaves no folder behind.
///
/// ```swift
/// let run = TrainingRun(directory: URL(fileURLWithPath: "runs/lm"), resume: resume)
/// let shape = try run.settle(requestedShape, recordedIn: "run-configuration.json") { _ in
///     "--resume: the run's model shape differs from the options given; continuing with the run's"
/// }
/// let data = try loadData()                                  // may throw: nothing written yet
/// try run.begin(records: [try .init("run-configuration.json", encoding: shape)])
/// let trainer = try Trainer(parameters: parameters, configuration: configuration)
/// try run.attach(trainer)                                    // resumes, appends metrics.jsonl
/// try trainer.train(step: loss)
/// try run.writeSummary(summary)
/// ```
public final class TrainingRun {
    /// A file that records how the run was started, written by ``begin(records:)``.
    public struct Record: Codable, Sendable, Equatable {
        /// The file name inside the run folder.
        public var name: String
        /// The file's bytes.
        public var contents: Data

        /// A record of raw bytes.
        public init(name: String, contents: Data) {
            self.name = name
            self.contents = contents
        }

        /// A record holding `value` as pretty-printed, key-sorted JSON (non-finite numbers
        /// as the strings `nan`, `inf`, `-inf`).
        public init<Value: Encodable>(_ name: String, encoding value: Value) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            self.init(name: name, contents: try encoder.encode(value))
        }
    }

    /// The checkpoint's folder name inside the run folder.
    public static let checkpointFolderName = "checkpoint"
    /// The per-step metrics file inside the run folder.
    public static let metricsFileName = "metrics.jsonl"
    /// The summary file inside the run folder.
    public static let summaryFileName = "training-summary.json"

    /// The run folder (it need not exist).
    public let directory: URL
    /// Whether the caller asked to continue the run (`--resume`).
    public let resume: Bool
    /// The complete checkpoint the run continues from: set only with `resume`.
    public let checkpoint: URL?
    /// Receives the run's notes (resumed, new run, options that differ).
    public let note: (String) -> Void

    private var metrics: TrainingMetrics.Writer?

    /// Looks at `directory` without writing anything.
    ///
    /// - Parameters:
    ///   - directory: the run folder.
    ///   - resume: continue from the folder's checkpoint when it has a complete one.
    ///   - note: where notes go (default standard error).
    public init(directory: URL, resume: Bool, note: @escaping (String) -> Void = ProgressReporter.standardError) {
        self.directory = directory
        self.resume = resume
        self.note = note
        checkpoint = resume ? CheckpointDirectory(url: directory.appendingPathComponent(Self.checkpointFolderName, isDirectory: true)).resolve() : nil
    }

    /// Whether the run continues from a checkpoint.
    public var isResuming: Bool { checkpoint != nil }

    /// The run's checkpoint location (the ``Trainer``'s, for `outputDirectory` = ``directory``).
    public var checkpointDirectory: CheckpointDirectory {
        CheckpointDirectory(url: directory.appendingPathComponent(Self.checkpointFolderName, isDirectory: true))
    }

    /// The metrics file of the run.
    public var metricsURL: URL { directory.appendingPathComponent(Self.metricsFileName) }

    /// Whether the folder holds a run: a complete checkpoint or one of `records`.
    public func holdsRun(records: [String] = []) -> Bool {
        checkpointDirectory.resolve() != nil
            || records.contains { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
    }

    /// The record `name` of the run being resumed, decoded; nil when the run is not resumed
    /// or the file is absent.
    ///
    /// - Throws: ``TrainingError/checkpoint(path:detail:)`` naming the file and field when it
    ///   cannot be read or decoded.
    public func recorded<Value: Decodable>(_ type: Value.Type, from name: String) throws -> Value? {
        guard isResuming else { return nil }
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError.checkpoint(path: url.path, detail: "cannot read: \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(type, from: data) } catch let error as DecodingError {
            throw TrainingError.checkpoint(path: url.path, detail: error.oneLineDescription)
        } catch {
            throw TrainingError.checkpoint(path: url.path, detail: "\(error)")
        }
    }

    /// The value the run uses: when resuming and `name` is recorded, the recorded value (and
    /// `differs(recorded)` as a note when it is not `given`); otherwise `given`.
    public func settle<Value: Codable & Equatable>(_ given: Value, recordedIn name: String,
                                                   differs: (_ recorded: Value) -> String) throws -> Value {
        guard let saved = try recorded(Value.self, from: name) else { return given }
        if saved != given { note(differs(saved)) }
        return saved
    }

    /// Starts writing the run: creates the folder and writes `records` (atomically). A new
    /// run first removes an old run's checkpoint, metrics and summary; a resumed run keeps
    /// the metrics rows up to its checkpoint's step. Call it once the inputs are known to be
    /// good. Notes when `resume` found no checkpoint and when an old run is replaced.
    ///
    /// - Throws: ``TrainingError/checkpoint(path:detail:)`` when the folder or a file cannot
    ///   be written.
    public func begin(records: [Record] = []) throws {
        let manager = FileManager.default
        if let checkpoint {
            let state = try TrainerState.read(from: checkpoint.appendingPathComponent(CheckpointDirectory.trainerFileName))
            try RunFolderFile.createDirectory(directory)
            try TrainingMetrics.truncate(metricsURL, afterStep: state.completedSteps)
        } else {
            if resume {
                note("--resume: no checkpoint in \(checkpointDirectory.url.path); starting at step 0 (a new run)")
            } else if checkpointDirectory.resolve() != nil {
                note("starting a new run in \(directory.path): its checkpoint is replaced (--resume continues it)")
            }
            for url in [checkpointDirectory.url, checkpointDirectory.previousURL, metricsURL,
                        directory.appendingPathComponent(Self.summaryFileName)] where manager.fileExists(atPath: url.path) {
                do { try manager.removeItem(at: url) } catch {
                    throw TrainingError.checkpoint(path: url.path, detail: "cannot remove the old run's file: \(error.localizedDescription)")
                }
            }
            try RunFolderFile.createDirectory(directory)
        }
        for record in records {
            try RunFolderFile.write(record.contents, to: directory.appendingPathComponent(record.name))
        }
    }

    /// Connects `trainer` (whose `outputDirectory` must be ``directory``) to the run: restores
    /// it from the checkpoint when resuming (noting "resumed from PATH at step N"), and
    /// appends a `metrics.jsonl` row after each of its steps. Call ``begin(records:)`` first.
    ///
    /// - Returns: the checkpoint restored, or nil for a new run.
    /// - Throws: checkpoint errors; a checkpoint of another shape names the tensor.
    @discardableResult
    public func attach(_ trainer: Trainer) throws -> URL? {
        let expected = URL(fileURLWithPath: trainer.configuration.outputDirectory, isDirectory: true).standardizedFileURL.path
        guard expected == directory.standardizedFileURL.path else {
            throw TrainingError.invalidConfiguration(
                field: "outputDirectory", detail: "is \(trainer.configuration.outputDirectory), the run folder \(directory.path)")
        }
        if let checkpoint {
            do { try trainer.resume(from: checkpoint) } catch TrainingError.tensorMismatch(let path, let tensor, let detail) {
                throw TrainingError.tensorMismatch(
                    path: path, tensor: tensor,
                    detail: detail + " (the checkpoint holds a model of another shape: resume with the run's shape options, or start a new run folder)")
            }
            note("resumed from \(checkpoint.path) at step \(trainer.completedSteps)")
        }
        let writer = try TrainingMetrics.Writer(url: metricsURL)
        metrics = writer
        trainer.stepObserver = { record, seconds in try writer.append(record, seconds: seconds) }
        return checkpoint
    }

    /// Writes `summary` as `training-summary.json` (pretty, key-sorted JSON, atomically).
    public func writeSummary<Summary: Encodable>(_ summary: Summary) throws {
        let record = try Record(Self.summaryFileName, encoding: summary)
        try RunFolderFile.write(record.contents, to: directory.appendingPathComponent(record.name))
    }
}
