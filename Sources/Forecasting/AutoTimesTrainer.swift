// Training objective of AutoTimes (Liu et al. 2024, Sec. 3.1, Eq. 6): every position of a
// window of N + 1 segments predicts the next segment; the loss is the MSE averaged over all
// N positions, on instance-normalised values. Only the segment embedding and projection
// train when the backbone is a frozen LLM (Sec. 3.1, "LLM is frozen").

import Autograd
import Foundation
import Tensors
import Training

/// Trains an ``AutoTimesModel`` on scaled series with the project's ``Trainer``.
public struct AutoTimesTrainer {
    /// The model trained in place (its best validation weights are kept at the end).
    public let model: AutoTimesModel
    /// Steps, batch size, optimiser settings, checkpointing and validation of the run.
    public let options: ForecastTrainingOptions
    /// Receives progress lines (default standard error).
    public var progressOutput: ProgressReporter.Output = ProgressReporter.standardError

    /// A trainer for `model` with `options`; ``train(_:)`` runs it.
    public init(model: AutoTimesModel, options: ForecastTrainingOptions) {
        self.model = model
        self.options = options
    }

    /// A batch of windows: inputs and next-segment targets, both `[B, N, S]`, normalised by
    /// each input's own statistics; plus timestamp features `[B, N, F]` when the model embeds timestamps.
    struct Batch { var inputs: Tensor; var targets: Tensor; var timestamps: Tensor? }

    func makeBatch(_ windows: [(series: TrainingSeries, start: Int)], tokens: Int) throws -> Batch {
        let s = model.configuration.segmentLength
        var inputs = [Float](), targets = [Float]()
        inputs.reserveCapacity(windows.count * tokens * s); targets.reserveCapacity(windows.count * tokens * s)
        for (series, start) in windows {
            let input = series.values[start..<(start + tokens * s)]
            let stats = InstanceNormalization(window: input)
            inputs += stats.normalize(input)
            targets += stats.normalize(series.values[(start + s)..<(start + (tokens + 1) * s)])
        }
        let b = windows.count
        var timestamps: Tensor?
        if model.configuration.timestampEmbedding {
            // Windows of one batch may come from files of different frequencies; the windows
            // of each frequency are embedded together (one LLM pass for their new texts).
            var features = [[Float]](repeating: [], count: b)
            var done = [Bool](repeating: false, count: b)
            for first in 0..<b where !done[first] {
                let frequency = windows[first].series.frequency
                let members = (first..<b).filter { !done[$0] && windows[$0].series.frequency == frequency }
                let made = try model.timestampFeatures(members.map {
                    TimestampedWindow(seriesStart: windows[$0].series.startTime ?? 0, offset: windows[$0].start, segments: tokens)
                }, frequency: frequency)
                for (member, vector) in zip(members, made) { features[member] = vector; done[member] = true }
            }
            timestamps = Tensor(shape: [b, tokens, model.timestampFeatureCount], values: features.flatMap { $0 })
        }
        return Batch(inputs: Tensor(shape: [b, tokens, s], values: inputs), targets: Tensor(shape: [b, tokens, s], values: targets),
                     timestamps: timestamps)
    }

    /// The number of segments per window: the context, or fewer when a series is short.
    func tokenCount(_ series: [TrainingSeries]) throws -> Int {
        let s = model.configuration.segmentLength
        let shortest = series.map { $0.train.count / s - 1 }.min() ?? 0
        guard shortest >= 1 else {
            throw ForecastError.insufficientData(detail: "training needs at least \(2 * s) training rows per series (two segments of \(s)); use a smaller --segment")
        }
        return min(model.configuration.contextSegments, model.maximumSegments, shortest)
    }

    /// Trains and keeps the weights of the best validation loss.
    public func train(_ series: [TrainingSeries]) throws -> ForecastTrainingSummary {
        try options.validate()
        guard !series.isEmpty else { throw ForecastError.insufficientData(detail: "no series to train on") }
        let began = Date()
        let tokens = try tokenCount(series)
        let s = model.configuration.segmentLength
        let length = (tokens + 1) * s
        let windows = ForecastTrainingLoop.Windows(series: series, length: length, targetOffset: tokens * s,
                                                   validationLimit: options.validationWindows)
        guard windows.trainCount > 0 else {
            throw ForecastError.insufficientData(detail: "no training window of \(length) rows is free of missing values; use --missing interpolate")
        }
        let validationBatches = try stride(from: 0, to: windows.validation.count, by: 256).map {
            try makeBatch(windows.validation[$0..<min($0 + 256, windows.validation.count)].map { (series[$0.series], $0.start) }, tokens: tokens)
        }
        let parameters = try ParameterSet(model.trainableParameters)
        let loop = ForecastTrainingLoop(parameters: parameters, options: options, progressOutput: progressOutput)
        let result = try loop.run(loss: { generator in
            let batch = try makeBatch(windows.sample(options.batchSize, groups: options.balanceFiles ? series.map(\.group) : nil, using: &generator).map { (series[$0.series], $0.start) }, tokens: tokens)
            model.trainingGenerator = SeededGenerator(seed: generator.next())
            defer { model.trainingGenerator = nil }
            let loss = try model(batch.inputs, timestamps: batch.timestamps).meanSquaredError(batch.targets)
            return (loss, options.batchSize * tokens)
        }, validate: validationBatches.isEmpty ? nil : {
            var total: Float = 0
            for batch in validationBatches {
                total += try model(batch.inputs, timestamps: batch.timestamps).meanSquaredError(batch.targets).value.scalar * Float(batch.inputs.shape[0])
            }
            return total / Float(windows.validation.count)
        })
        return ForecastTrainingSummary(
            steps: result.completedSteps, finalTrainingLoss: result.finalLoss, bestValidationLoss: result.best?.loss,
            bestStep: result.best?.step, trainableParameters: parameters.scalarCount, totalParameters: model.parameterCount,
            seconds: Date().timeIntervalSince(began), segments: tokens, timestamps: model.timestampSource)
    }
}
