/// What the trainer measured on one optimisation step: one entry of the history that
/// ``Trainer/train(step:validate:)`` returns and checkpoints keep.
///
/// ```swift
/// let history = try trainer.train(step: loss, validate: validationLoss)
/// for record in history where record.validationLoss != nil {
///     print(record.step, record.trainingLoss, record.validationLoss!)
/// }
/// ```
public struct TrainingRecord: Codable, Sendable, Equatable {
    /// Steps completed, counting this one (1 for the first step).
    public var step: Int
    /// The mean of the micro-batch losses of this step.
    public var trainingLoss: Float
    /// The validation loss measured after this step's update, when validation ran.
    public var validationLoss: Float?
    /// The learning rate the schedule gave this step.
    public var learningRate: Float
    /// The global gradient norm before clipping.
    public var gradientNorm: Float
    /// Tokens (or examples) processed by this step, as the loss closure reported them.
    public var tokens: Int

    /// Creates a record.
    public init(step: Int, trainingLoss: Float, validationLoss: Float? = nil, learningRate: Float,
                gradientNorm: Float, tokens: Int) {
        self.step = step
        self.trainingLoss = trainingLoss
        self.validationLoss = validationLoss
        self.learningRate = learningRate
        self.gradientNorm = gradientNorm
        self.tokens = tokens
    }
}
