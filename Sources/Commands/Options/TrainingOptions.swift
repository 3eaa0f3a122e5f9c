import ArgumentParser
import Foundation
import Training

/// The options of every command that trains a model: steps, learning rate and schedule,
/// batch size, context, warm-up, accumulation, validation/log intervals, the run options
/// (``RunOptions``: `--resume`, `--max-minutes`, `--checkpoint-every`) and the output folder.
/// ``configuration(seed:)`` maps them onto `TrainingConfiguration`.
///
/// Options left unset keep `TrainingConfiguration`'s documented defaults (or, for the
/// data-shaping options ``batchSize`` and ``context``, the command's own default or the
/// value stored by the run being resumed).
///
/// ```swift
/// @OptionGroup var training: TrainingOptions
/// var configuration = try training.configuration(seed: seed.seed)
/// let trainer = try Trainer(parameters: parameters, configuration: configuration)
/// ```
public struct TrainingOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Output folder: the trained model, its tokenizer, and checkpoint/ for --resume.", valueName: "dir"))
    public var output: String

    @Option(help: "Optimisation steps (default 1000).")
    public var steps: Int?

    @Option(help: "Peak learning rate (default 6e-4).")
    public var learningRate: Float?

    @Option(help: "Learning-rate floor at the end of the decay (default: learning rate / 10).")
    public var minimumLearningRate: Float?

    @Option(help: "Learning-rate shape after warm-up: constant, cosine or linear (default cosine).")
    public var schedule: LearningRateSchedule.Kind?

    @Option(help: "Steps of linear learning-rate warm-up (default: 100, at most steps / 10).")
    public var warmup: Int?

    @Option(help: "Sequences per micro-batch (default 16).")
    public var batchSize: Int?

    @Option(help: "Tokens per training sequence (default: the model's context length).")
    public var context: Int?

    @Option(help: "Micro-batches whose gradients are averaged into one step (default 1).")
    public var accumulation: Int?

    @Option(name: .customLong("validate-every"),
            help: ArgumentHelp("Compute the validation loss every this many steps (default 50).", valueName: "steps"))
    public var validationInterval: Int?

    @Option(name: .customLong("log-every"),
            help: ArgumentHelp("Print a progress line every this many steps (default 10).", valueName: "steps"))
    public var logInterval: Int?

    /// The older spellings `--validation-interval`, `--log-interval` (see ``OptionAlias``).
    @Option(name: .customLong("validation-interval"), help: .hidden) var validationIntervalAlias: Int?
    @Option(name: .customLong("log-interval"), help: .hidden) var logIntervalAlias: Int?

    /// `--resume`, `--max-minutes` and `--checkpoint-every` (default 100).
    @OptionGroup public var run: RunOptions

    /// No options set until parsed.
    public init() {}

    /// The output folder.
    public var outputURL: URL { URL(fileURLWithPath: output, isDirectory: true) }

    /// Takes the older spellings' values, then rejects negative (or, for sizes, zero) counts,
    /// negative or non-finite learning rates and an `--output` that is a file.
    public mutating func validate() throws {
        try OptionAlias.merge(&self, \.validationInterval, alias: \.validationIntervalAlias, current: "--validate-every", old: "--validation-interval")
        try OptionAlias.merge(&self, \.logInterval, alias: \.logIntervalAlias, current: "--log-every", old: "--log-interval")
        func positive(_ value: Int?, _ option: String, allowZero: Bool = false) throws {
            guard let value else { return }
            if value < (allowZero ? 0 : 1) { throw ValidationError("\(option): must be \(allowZero ? ">= 0" : ">= 1"), got \(value)") }
        }
        try positive(steps, "--steps", allowZero: true)
        try positive(warmup, "--warmup", allowZero: true)
        try positive(batchSize, "--batch-size")
        try positive(context, "--context")
        try positive(accumulation, "--accumulation")
        try positive(validationInterval, "--validate-every", allowZero: true)
        try positive(logInterval, "--log-every", allowZero: true)
        for (value, option) in [(learningRate, "--learning-rate"), (minimumLearningRate, "--minimum-learning-rate")] {
            if let value, !(value.isFinite && value >= 0) { throw ValidationError("\(option): must be finite and >= 0, got \(value)") }
        }
        if CommandFailure.kind(of: outputURL) == .file {
            throw ValidationError("--output \(output): is a file, expected a folder")
        }
    }

    /// The trainer's configuration: defaults, overridden by every option given.
    ///
    /// - Throws: `TrainingError.invalidConfiguration` for an inconsistent combination
    ///   (for example a minimum learning rate above the peak).
    public func configuration(seed: UInt64) throws -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.steps = steps ?? configuration.steps
        if let learningRate {
            configuration.learningRate = learningRate
            configuration.minimumLearningRate = minimumLearningRate ?? learningRate / 10
        } else if let minimumLearningRate {
            configuration.minimumLearningRate = minimumLearningRate
        }
        configuration.schedule = schedule ?? configuration.schedule
        configuration.warmupSteps = warmup ?? min(configuration.warmupSteps, configuration.steps / 10)
        configuration.accumulationSteps = accumulation ?? 1
        configuration.checkpointInterval = run.checkpointEvery ?? 100
        configuration.validationInterval = validationInterval ?? 50
        configuration.logInterval = logInterval ?? configuration.logInterval
        configuration.seed = seed
        configuration.outputDirectory = outputURL.path
        configuration.timeLimit = run.timeLimit
        try configuration.validate()
        return configuration
    }
}

extension LearningRateSchedule.Kind: ExpressibleByArgument {}
