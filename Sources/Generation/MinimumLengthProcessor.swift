/// Forbids the stop tokens until at least `minimumNewTokens` tokens have been generated.
///
/// The count of generated tokens is `context.count - promptLength`, so the processor is
/// built per sequence; ``GenerationSettings/makeProcessorChain(for:extra:)`` does that from
/// `minNewTokens`, or use a ``LogitsProcessorFactory``:
///
/// ```swift
/// let minimum = LogitsProcessorFactory { sequence in
///     try MinimumLengthProcessor(minimumNewTokens: 10, stopTokens: [eos], promptLength: sequence.prompt.count)
/// }
/// ```
public struct MinimumLengthProcessor: LogitsProcessor {
    /// Tokens to generate before a stop token may appear.
    public let minimumNewTokens: Int
    /// The tokens that end a sequence.
    public let stopTokens: Set<Int>
    /// Length of the prompt at the start of `context`.
    public let promptLength: Int

    /// - Throws: ``GenerationError/invalidSetting(field:reason:)`` naming `minNewTokens`,
    ///   `stopTokens` or `promptLength` when negative.
    public init(minimumNewTokens: Int, stopTokens: Set<Int>, promptLength: Int) throws {
        guard minimumNewTokens >= 0 else {
            throw GenerationError.invalidSetting(field: "minNewTokens", reason: "must be >= 0, got \(minimumNewTokens)")
        }
        if let bad = stopTokens.first(where: { $0 < 0 }) {
            throw GenerationError.invalidSetting(field: "stopTokens", reason: "token ids must be >= 0, got \(bad)")
        }
        guard promptLength >= 0 else {
            throw GenerationError.invalidSetting(field: "promptLength", reason: "must be >= 0, got \(promptLength)")
        }
        self.minimumNewTokens = minimumNewTokens
        self.stopTokens = stopTokens
        self.promptLength = promptLength
    }

    public func process(_ logits: inout [Float], context: [Int]) throws {
        guard context.count - promptLength < minimumNewTokens else { return }
        for token in stopTokens where token < logits.count { logits[token] = -.infinity }
    }
}
