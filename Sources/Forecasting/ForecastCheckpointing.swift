import Foundation
import SafeTensors
import Training

/// Periodic checkpoints of a forecasting run and resuming from them.
///
/// `directory` is a ``TrainingRun`` folder (records, `checkpoint/`, `metrics.jsonl`), with
/// its resume policy. A checkpoint is the ``Trainer``'s directory (`<directory>/checkpoint`: weights, AdamW
/// moments, step counter, per-step randomness, history) plus `forecast-state.safetensors`
/// holding what the forecasting loop keeps outside the trainer: the moving average of the
/// weights (`--averaging-decay`) and the best validation weights with their loss and step.
/// All files are written into one temporary directory that replaces the old checkpoint by
/// renames (``CheckpointDirectory/write(_:)``), so a kill at any moment leaves a complete one.
///
/// ```swift
/// var options = ForecastTrainingOptions()
/// options.checkpointing = ForecastCheckpointing(directory: "runs/forecast", every: 100, resume: true)
/// ```
public struct ForecastCheckpointing: Codable, Sendable, Equatable {
    /// The run folder; the checkpoint goes to `<directory>/checkpoint`.
    public var directory: String
    /// Write a checkpoint every this many steps and after the last (0: only after the last).
    public var every: Int
    /// Continue from the complete checkpoint in `directory` when there is one.
    public var resume: Bool
    /// Stop once this many steps are complete, with a checkpoint, to continue later with
    /// `resume` (a long run split into sessions); the schedule still spans all steps. nil: run
    /// all steps.
    public var stopAfter: Int?

    /// Files recording how the run was started (the command's `run-configuration.json`),
    /// written into `directory` when training begins, once the data is known to be good.
    public var records: [TrainingRun.Record]

    /// Checkpoints in `directory/checkpoint` every `every` steps; see the properties for each argument.
    public init(directory: String, every: Int, resume: Bool = false, stopAfter: Int? = nil, records: [TrainingRun.Record] = []) {
        self.directory = directory
        self.every = every
        self.resume = resume
        self.stopAfter = stopAfter
        self.records = records
    }

    /// The file with the loop's own state inside a checkpoint directory.
    public static let stateFileName = "forecast-state.safetensors"
}

/// Thrown inside the loss closure to end a session at ``ForecastCheckpointing/stopAfter``.
struct ForecastStopRequested: Error {}

/// The state ``ForecastTrainingLoop`` keeps beside the trainer's parameters.
final class ForecastLoopState {
    /// Moving average of the weights (in `ParameterSet.variables` order), nil until the first update.
    var average: [[Float]]?
    /// The completed-step count the average last included.
    var averagedStep = -1
    /// The best validation loss so far, its step and the weights by name.
    var best: (loss: Float, step: Int, weights: [String: [Float]])?

    init() {}

    /// Writes the state as `average.<name>` and `best.<name>` tensors with the scalars in the metadata.
    func save(to url: URL, parameters: ParameterSet) throws {
        var metadata = ["averagedStep": String(averagedStep)]
        if let best { metadata["bestLoss"] = String(best.loss); metadata["bestStep"] = String(best.step) }
        var writer = try SafeTensorsWriter(path: url.path, metadata: metadata)
        for (index, variable) in parameters.variables.enumerated() {
            if let average { try writer.add("average." + variable.name, shape: variable.shape, values: average[index]) }
            if let best { try writer.add("best." + variable.name, shape: variable.shape, values: best.weights[variable.name]!) }
        }
        try writer.write()
    }

    /// Reads a state written by ``save(to:parameters:)`` for the same parameters.
    ///
    /// - Throws: ``ForecastError/invalidModel(path:detail:)`` naming a missing or mismatched
    ///   tensor or field; `SafeTensorsError` for a corrupt file.
    static func load(from url: URL, parameters: ParameterSet) throws -> ForecastLoopState {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ForecastError.invalidModel(path: url.path, detail: "is missing; the checkpoint is incomplete")
        }
        let file = try SafeTensorsFile(path: url.path)
        let state = ForecastLoopState()
        guard let averagedStep = file.metadata["averagedStep"].flatMap(Int.init) else {
            throw ForecastError.invalidModel(path: url.path, detail: "metadata field averagedStep is missing")
        }
        state.averagedStep = averagedStep
        let names = Set(file.names)
        func read(_ prefix: String) throws -> [[Float]]? {
            let present = parameters.variables.filter { names.contains(prefix + $0.name) }
            if present.isEmpty { return nil }
            guard present.count == parameters.variables.count else {
                let missing = parameters.variables.first { !names.contains(prefix + $0.name) }!
                throw ForecastError.invalidModel(path: url.path, detail: "tensor \(prefix)\(missing.name) is missing")
            }
            return try parameters.variables.map { variable in
                let values = try file.floats(prefix + variable.name)
                guard values.count == variable.value.count else {
                    throw ForecastError.invalidModel(path: url.path, detail: "tensor \(prefix)\(variable.name) has \(values.count) values, the model \(variable.value.count)")
                }
                return values
            }
        }
        state.average = try read("average.")
        if let weights = try read("best.") {
            guard let loss = file.metadata["bestLoss"].flatMap(Float.init), let step = file.metadata["bestStep"].flatMap(Int.init) else {
                throw ForecastError.invalidModel(path: url.path, detail: "metadata fields bestLoss/bestStep are missing")
            }
            state.best = (loss, step, Dictionary(uniqueKeysWithValues: zip(parameters.variables.map(\.name), weights)))
        }
        return state
    }
}
