// The training loop follows nanoGPT's `train.py` (Karpathy 2022): per step, set the
// scheduled learning rate, accumulate gradients over micro-batches, clip by global norm,
// take an AdamW step, periodically evaluate and checkpoint.

import Autograd
import Foundation
import Tensors

/// Trains any model given as named parameters plus a loss closure.
///
/// The trainer owns the optimiser, the schedule, the per-step randomness, the history and
/// checkpoints; the model is opaque to it. Each step it calls the loss closure once per
/// micro-batch with a generator derived from (seed, step, micro-batch), so the data a step
/// sees depends only on the seed and the step number, and a resumed run reproduces the
/// uninterrupted one exactly.
///
/// ```swift
/// var configuration = TrainingConfiguration()
/// configuration.steps = 500
/// configuration.outputDirectory = "runs/mlp"
/// let trainer = try Trainer(parameters: try ParameterSet(model.parameters), configuration: configuration)
/// if let checkpoint = trainer.latestCheckpoint() { try trainer.resume(from: checkpoint) }
/// let history = try trainer.train(
///     step: { step, microBatch, generator in
///         let batch = data.randomBatch(size: 32, using: &generator)
///         return (loss: try model.loss(batch), tokens: batch.tokenCount)
///     },
///     validate: { try model.loss(data.validationBatch).value.scalar })
/// ```
public final class Trainer {
    /// Builds one micro-batch's scalar loss on the tape.
    ///
    /// - Parameters:
    ///   - step: the 0-based step being taken.
    ///   - microBatch: `0..<accumulationSteps`.
    ///   - generator: this micro-batch's generator (sample the batch, dropout masks, ...).
    /// - Returns: the loss and the number of tokens (or examples) it covered, for tokens/s.
    public typealias LossFunction = (_ step: Int, _ microBatch: Int, _ generator: inout SeededGenerator) throws
        -> (loss: Variable, tokens: Int)

    /// The parameters being trained.
    public let parameters: ParameterSet
    /// The run's settings.
    public let configuration: TrainingConfiguration
    /// The optimiser (its state is checkpointed).
    public let optimizer: AdamW
    /// The learning rate per step, from the configuration.
    public let schedule: LearningRateSchedule
    /// The per-step randomness; restored from a checkpoint on resume.
    public internal(set) var randomness: StepRandomness
    /// Optimisation steps completed (restored on resume).
    public internal(set) var completedSteps = 0
    /// One record per completed step, including those before a resume.
    public internal(set) var history: [TrainingRecord] = []
    /// The last checkpoint written or resumed from.
    public internal(set) var lastCheckpoint: URL?
    /// Whether the last ``train(step:validate:)`` stopped at
    /// ``TrainingConfiguration/timeLimit`` before its last step.
    public internal(set) var stoppedByTimeLimit = false
    /// Receives progress lines; default standard error.
    public var progressOutput: ProgressReporter.Output = ProgressReporter.standardError
    /// Called after each completed step with its record and the seconds the step's
    /// optimisation took (validation excluded), before the step's checkpoint; ``TrainingRun``
    /// appends `metrics.jsonl` rows through it. What it throws stops the run.
    public var stepObserver: ((_ record: TrainingRecord, _ seconds: Double) throws -> Void)?
    /// Seconds the last step's optimisation took (validation excluded).
    private var lastStepSeconds = 0.0

    /// Creates a trainer at step 0.
    ///
    /// - Parameters:
    ///   - parameters: what to train.
    ///   - configuration: the run's settings, checked by ``TrainingConfiguration/validate()``.
    ///   - decayRule: which parameters get weight decay; default rank >= 2.
    /// - Throws: ``TrainingError/invalidConfiguration(field:detail:)``.
    public init(parameters: ParameterSet, configuration: TrainingConfiguration,
                decayRule: @escaping AdamW.DecayRule = AdamW.decayMatrices) throws {
        try configuration.validate()
        self.parameters = parameters
        self.configuration = configuration
        schedule = configuration.learningRateSchedule
        optimizer = AdamW(parameters: parameters, hyperparameters: configuration.optimizerHyperparameters,
                          decayRule: decayRule)
        randomness = StepRandomness(seed: configuration.seed)
    }

    /// Runs steps from ``completedSteps`` up to `configuration.steps`, or until
    /// `configuration.timeLimit` (then with a checkpoint when checkpoints are on, and
    /// ``stoppedByTimeLimit`` set).
    ///
    /// Each step: zero gradients, accumulate over micro-batches, clip, update, then (when
    /// due) validate, record, report and checkpoint. A non-finite loss, gradient norm or
    /// validation loss stops the run before anything of that step is saved.
    ///
    /// - Parameters:
    ///   - step: builds a micro-batch's loss; see ``LossFunction``.
    ///   - validate: returns the validation loss; run without recording gradients.
    /// - Returns: the whole history (earlier sessions' records included).
    /// - Throws: ``TrainingError/diverged(step:quantity:value:learningRate:lastCheckpoint:advice:)``,
    ///   checkpoint errors, or what the closures throw (the run can then be resumed from the
    ///   last checkpoint).
    @discardableResult
    public func train(step lossFunction: LossFunction, validate: (() throws -> Float)? = nil) throws -> [TrainingRecord] {
        var reporter = ProgressReporter(totalSteps: configuration.steps, everySteps: configuration.logInterval,
                                        minimumSeconds: configuration.minimumSecondsBetweenReports, output: progressOutput)
        reporter.start(atStep: completedSteps)
        let deadline = configuration.timeLimit.map { Date().addingTimeInterval($0) }
        stoppedByTimeLimit = false
        var checkpointed = completedSteps   // a resumed run's checkpoint holds this step
        while completedSteps < configuration.steps {
            if let deadline, Date() >= deadline {
                stoppedByTimeLimit = true
                if configuration.checkpointInterval > 0, completedSteps != checkpointed { try saveCheckpoint() }
                progressOutput("time limit reached at step \(completedSteps) of \(configuration.steps)"
                               + (configuration.checkpointInterval > 0 ? "; checkpoint saved, continue with --resume" : ""))
                break
            }
            let record = try takeStep(lossFunction, validate: validate)
            history.append(record)
            reporter.record(record)
            try stepObserver?(record, lastStepSeconds)
            if isDue(record.step, every: configuration.checkpointInterval) && configuration.checkpointInterval > 0 {
                try saveCheckpoint()
                checkpointed = record.step
            }
        }
        return history
    }

    /// One optimisation step; ``completedSteps`` advances only when it succeeds.
    private func takeStep(_ lossFunction: LossFunction, validate: (() throws -> Float)?) throws -> TrainingRecord {
        let step = completedSteps
        let started = ContinuousClock.now
        let learningRate = schedule.learningRate(atStep: step)
        parameters.zeroGradients()
        // Whatever fails below, no half-accumulated gradient may leak into a later step.
        var succeeded = false
        defer { if !succeeded { parameters.zeroGradients(); Tape.current.reset() } }

        let accumulated: GradientAccumulation.Result
        do {
            accumulated = try GradientAccumulation.run(
                parameters: parameters, microBatches: configuration.accumulationSteps, step: step,
                learningRate: learningRate
            ) { microBatch in
                var generator = randomness.generator(step: step, microBatch: microBatch)
                return try lossFunction(step, microBatch, &generator)
            }
        } catch TrainingError.diverged(_, let quantity, let value, _, _, _) {
            throw divergence(step: step, quantity: quantity, value: value, learningRate: learningRate)
        }
        let norm = parameters.clipGradients(maxNorm: configuration.clipNorm)
        guard norm.isFinite else {
            throw divergence(step: step, quantity: .gradientNorm, value: norm, learningRate: learningRate)
        }
        optimizer.step(learningRate: learningRate)
        parameters.zeroGradients()
        succeeded = true
        completedSteps = step + 1
        let elapsed = (ContinuousClock.now - started).components
        lastStepSeconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18

        var validationLoss: Float?
        if let validate, isDue(completedSteps, every: configuration.validationInterval) {
            let loss = try Tape.withoutGradient { try validate() }
            Tape.current.reset()
            guard loss.isFinite else {
                throw divergence(step: step, quantity: .validationLoss, value: loss, learningRate: learningRate)
            }
            validationLoss = loss
        }
        return TrainingRecord(step: completedSteps, trainingLoss: accumulated.loss, validationLoss: validationLoss,
                              learningRate: learningRate, gradientNorm: norm, tokens: accumulated.tokens)
    }

    /// Whether a periodic action is due after `step` completed steps (always after the last).
    private func isDue(_ step: Int, every interval: Int) -> Bool {
        step >= configuration.steps || interval > 0 && step % interval == 0
    }

    private func divergence(step: Int, quantity: TrainingError.DivergedQuantity, value: Float,
                            learningRate: Float) -> TrainingError {
        .diverged(step: step, quantity: quantity, value: value, learningRate: learningRate,
                  lastCheckpoint: lastCheckpoint?.path,
                  advice: TrainingError.divergenceAdvice(quantity: quantity, learningRate: learningRate,
                                                         clipNorm: configuration.clipNorm,
                                                         warmupSteps: configuration.warmupSteps))
    }
}
