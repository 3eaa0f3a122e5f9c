/// Why a sequence stopped growing.
public enum FinishReason: Sendable, Equatable {
    /// The sampler chose this stop token (it is not included in the tokens).
    case stopToken(Int)
    /// `maxNewTokens` tokens were generated.
    case maxNewTokens
    /// The streaming callback returned `false`.
    case stoppedByCallback
}

/// The tokens one sequence generated and why it stopped.
///
/// ```swift
/// let result = try generator.generate(prompt: prompt, settings: settings)
/// print(tokenizer.decode(result.tokens), result.finishReason)
/// ```
public struct GenerationResult: Sendable, Equatable {
    /// The generated tokens, without the prompt and without the stop token.
    public var tokens: [Int]
    /// Why generation stopped.
    public var finishReason: FinishReason

    /// A result holding `tokens`, finished for `finishReason`.
    public init(tokens: [Int], finishReason: FinishReason) {
        self.tokens = tokens
        self.finishReason = finishReason
    }
}

/// One finished beam-search hypothesis.
///
/// ```swift
/// for hypothesis in try BeamSearch(model: model).search(prompt: prompt, settings: settings) {
///     print(hypothesis.tokens, hypothesis.score)
/// }
/// ```
public struct BeamHypothesis: Sendable, Equatable {
    /// The generated tokens, without the prompt and without the stop token.
    public var tokens: [Int]
    /// Sum of the log-probabilities (natural log, after the logits processors) of every
    /// generated token, the stop token included.
    public var logProbability: Double
    /// The ranking score: `logProbability / length^lengthPenalty`, where `length` counts the
    /// generated tokens including the stop token (at least 1).
    public var score: Double
    /// Why the hypothesis ended: a stop token or `maxNewTokens`.
    public var finishReason: FinishReason

    /// A hypothesis with the given fields.
    public init(tokens: [Int], logProbability: Double, score: Double, finishReason: FinishReason) {
        self.tokens = tokens
        self.logProbability = logProbability
        self.score = score
        self.finishReason = finishReason
    }
}
