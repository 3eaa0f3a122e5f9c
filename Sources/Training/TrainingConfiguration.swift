import Foundation

/// Everything that controls a training run, as a `Codable` value (a JSON preset in
/// `assets/configs/` or the `configuration` field of a checkpoint's `trainer.json`).
///
/// Every field has a default, and decoding fills in the defaults of missing fields, so a
/// preset names only what it changes. Defaults follow nanoGPT's GPT-2 recipe scaled to a
/// short run.
///
/// ```swift
/// var configuration = TrainingConfiguration()
/// configuration.steps = 2000
/// configuration.learningRate = 1e-3
/// configuration.outputDirectory = "runs/char-lm"
/// let fromFile = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(#"{"steps": 500}"#.utf8))
/// ```
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// Optimisation steps (parameter updates) in the run. Default 1000.
    public var steps: Int = 1000
    /// The peak learning rate. Default 6e-4.
    public var learningRate: Float = 6e-4
    /// The floor of the decay. Default 6e-5.
    public var minimumLearningRate: Float = 6e-5
    /// The shape after warm-up: `constant`, `cosine` or `linear`. Default `cosine`.
    public var schedule: LearningRateSchedule.Kind = .cosine
    /// Steps of linear warm-up. Default 100.
    public var warmupSteps: Int = 100
    /// The step at which decay reaches the minimum; nil means ``steps``. Default nil.
    public var decaySteps: Int? = nil
    /// Decoupled weight decay (applied to rank >= 2 parameters by default). Default 0.1.
    public var weightDecay: Float = 0.1
    /// AdamW's first-moment decay. Default 0.9.
    public var beta1: Float = 0.9
    /// AdamW's second-moment decay. Default 0.95.
    public var beta2: Float = 0.95
    /// AdamW's denominator epsilon. Default 1e-8.
    public var epsilon: Float = 1e-8
    /// The global gradient norm to clip to; 0 disables clipping. Default 1.0.
    public var clipNorm: Float = 1.0
    /// Micro-batches whose gradients are averaged into one step. Default 1.
    public var accumulationSteps: Int = 1
    /// Run validation every this many steps (and after the last); 0 validates only after
    /// the last step. Default 100.
    public var validationInterval: Int = 100
    /// Write a checkpoint every this many steps (and after the last); 0 writes none.
    /// Default 500.
    public var checkpointInterval: Int = 500
    /// Print a progress line every this many steps (and after the last); 0 prints none.
    /// Default 10.
    public var logInterval: Int = 10
    /// At least this many seconds between progress lines, so fast runs do not flood the
    /// terminal; the last step is always reported. Default 0.
    public var minimumSecondsBetweenReports: Double = 0
    /// Seeds the per-step generators handed to the loss closure. Default 1337.
    public var seed: UInt64 = 1337
    /// Where checkpoints go (`<outputDirectory>/checkpoint`). Default `"checkpoints"`.
    public var outputDirectory: String = "checkpoints"
    /// Stop after this many seconds of one ``Trainer/train(step:validate:)`` call, between
    /// steps, with a checkpoint when checkpoints are on (the run continues with a resume);
    /// nil runs every step. Default nil.
    public var timeLimit: Double? = nil

    /// The defaults.
    public init() {}

    /// The learning-rate schedule these fields describe.
    public var learningRateSchedule: LearningRateSchedule {
        LearningRateSchedule(kind: schedule, peakLearningRate: learningRate, minimumLearningRate: minimumLearningRate,
                             warmupSteps: warmupSteps, decaySteps: decaySteps ?? steps)
    }

    /// AdamW's constants from these fields.
    public var optimizerHyperparameters: AdamW.Hyperparameters {
        AdamW.Hyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }

    /// Throws ``TrainingError/invalidConfiguration(field:detail:)`` naming the first field
    /// that cannot be used.
    public func validate() throws {
        func check(_ condition: Bool, _ field: String, _ detail: String) throws {
            if !condition { throw TrainingError.invalidConfiguration(field: field, detail: detail) }
        }
        try check(steps >= 0, "steps", "must be >= 0, got \(steps)")
        try learningRateSchedule.validate()
        try check(weightDecay.isFinite && weightDecay >= 0, "weightDecay", "must be >= 0, got \(weightDecay)")
        try check(beta1 >= 0 && beta1 < 1, "beta1", "must be in [0, 1), got \(beta1)")
        try check(beta2 >= 0 && beta2 < 1, "beta2", "must be in [0, 1), got \(beta2)")
        try check(epsilon.isFinite && epsilon > 0, "epsilon", "must be > 0, got \(epsilon)")
        try check(clipNorm.isFinite && clipNorm >= 0, "clipNorm", "must be >= 0 (0 disables clipping), got \(clipNorm)")
        try check(accumulationSteps >= 1, "accumulationSteps", "must be >= 1, got \(accumulationSteps)")
        if let timeLimit { try check(timeLimit.isFinite && timeLimit > 0, "timeLimit", "must be > 0 seconds, got \(timeLimit)") }
        try check(validationInterval >= 0, "validationInterval", "must be >= 0, got \(validationInterval)")
        try check(checkpointInterval >= 0, "checkpointInterval", "must be >= 0, got \(checkpointInterval)")
        try check(logInterval >= 0, "logInterval", "must be >= 0, got \(logInterval)")
        try check(minimumSecondsBetweenReports >= 0, "minimumSecondsBetweenReports", "must be >= 0, got \(minimumSecondsBetweenReports)")
        try check(checkpointInterval == 0 || !outputDirectory.isEmpty, "outputDirectory", "must be set when checkpointInterval > 0")
    }

    private enum CodingKeys: String, CodingKey {
        case steps, learningRate, minimumLearningRate, schedule, warmupSteps, decaySteps, weightDecay
        case beta1, beta2, epsilon, clipNorm, accumulationSteps, validationInterval, checkpointInterval
        case logInterval, minimumSecondsBetweenReports, seed, outputDirectory, timeLimit
    }

    /// Decodes a configuration; missing fields keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func field<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let decoded = try c.decodeIfPresent(T.self, forKey: key) { value = decoded }
        }
        try field(.steps, &steps)
        try field(.learningRate, &learningRate)
        try field(.minimumLearningRate, &minimumLearningRate)
        try field(.schedule, &schedule)
        try field(.warmupSteps, &warmupSteps)
        decaySteps = try c.decodeIfPresent(Int.self, forKey: .decaySteps)
        try field(.weightDecay, &weightDecay)
        try field(.beta1, &beta1)
        try field(.beta2, &beta2)
        try field(.epsilon, &epsilon)
        try field(.clipNorm, &clipNorm)
        try field(.accumulationSteps, &accumulationSteps)
        try field(.validationInterval, &validationInterval)
        try field(.checkpointInterval, &checkpointInterval)
        try field(.logInterval, &logInterval)
        try field(.minimumSecondsBetweenReports, &minimumSecondsBetweenReports)
        try field(.seed, &seed)
        try field(.outputDirectory, &outputDirectory)
        timeLimit = try c.decodeIfPresent(Double.self, forKey: .timeLimit)
    }
}
