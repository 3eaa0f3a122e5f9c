import Autograd
import Foundation
import Tensors
import Training

extension ImageTokenModel {
    /// Trains on pre-computed token grids with the project's ``Trainer``.
    ///
    /// - Parameters:
    ///   - tokens: one grid per image (from ``ImageTokenizer/encode(_:)``).
    ///   - labels: the class of each grid.
    ///   - validation: optional held-out grids and labels for the validation loss.
    ///   - training: steps, schedule, seed; with `checkpointInterval > 0` checkpoints go to
    ///     `<outputDirectory>/checkpoint` (atomically, and after the last step).
    ///   - resume: continue from `<outputDirectory>/checkpoint` when it exists (same step
    ///     counter, schedule and per-step randomness as an uninterrupted run); the model's
    ///     weights are replaced by the checkpoint's. Without a checkpoint a new run starts
    ///     with a note (``TrainingRun``'s policy).
    ///   - records: files recording the run's settings, written into the run folder once the
    ///     data is checked.
    ///
    /// With checkpoints or `resume`, `<outputDirectory>` is a ``TrainingRun`` folder that
    /// also receives `metrics.jsonl`.
    public func train(tokens: [[Int]], labels: [Int], batchSize: Int, training: TrainingConfiguration,
                      validation: (tokens: [[Int]], labels: [Int])? = nil, resume: Bool = false,
                      records: [TrainingRun.Record] = [], progress: ProgressReporter.Output? = nil) throws -> [TrainingRecord] {
        guard tokens.count == labels.count, !tokens.isEmpty else {
            throw ImageDataError.mismatch(detail: "\(tokens.count) token grids for \(labels.count) labels")
        }
        try checkTokens(classes: labels, tokens: tokens)
        let trainer = try Trainer(parameters: try ParameterSet(parameters), configuration: training)
        if let progress { trainer.progressOutput = progress }
        try Self.openRun(training, resume: resume, records: records, progress: progress)?.attach(trainer)
        let validate: (() throws -> Float)? = validation.map { held in
            {
                var generator = SeededGenerator(seed: 7)
                let n = Swift.min(held.tokens.count, 512)
                return try self.loss(classes: Array(held.labels[0..<n]), tokens: Array(held.tokens[0..<n]), generator: &generator).value.scalar
            }
        }
        return try trainer.train(step: { _, _, generator in
            let indices = (0..<batchSize).map { _ in Int.random(in: 0..<tokens.count, using: &generator) }
            // Dropout (the decoder configuration's) acts in training steps only.
            let masks = self.transformer.dropoutMasks(drawingFrom: &generator)
            let loss = try self.transformer.trainingStep(masks: masks) {
                try self.loss(classes: indices.map { labels[$0] }, tokens: indices.map { tokens[$0] }, generator: &generator)
            }
            return (loss, batchSize * self.configuration.positionCount)
        }, validate: validate)
    }

    /// The run folder of a training that checkpoints or resumes, begun (`records` written);
    /// nil for a run that keeps nothing on disk.
    static func openRun(_ training: TrainingConfiguration, resume: Bool, records: [TrainingRun.Record],
                        progress: ProgressReporter.Output?) throws -> TrainingRun? {
        guard training.checkpointInterval > 0 || resume else { return nil }
        let run = TrainingRun(directory: URL(fileURLWithPath: training.outputDirectory, isDirectory: true), resume: resume,
                              note: progress ?? ProgressReporter.standardError)
        try run.begin(records: records)
        return run
    }

    static let fileKind = "image-generator"

    /// Saves to one safetensors file.
    public func save(to url: URL, halfPrecision: Bool = false) throws {
        try ModelFile.save(self, kind: Self.fileKind, configuration: configuration, to: url, halfPrecision: halfPrecision)
    }

    /// Loads a generator saved by ``save(to:halfPrecision:)``.
    public static func load(from url: URL) throws -> ImageTokenModel {
        let (configuration, file) = try ModelFile.open(url, kind: fileKind, as: GeneratorConfiguration.self)
        var generator = SeededGenerator(seed: 0)
        let model = try ImageTokenModel(configuration: configuration, generator: &generator)
        try ModelFile.loadParameters(into: model, from: file)
        return model
    }
}
