/// Chooses the next token from one sequence's processed logits.
///
/// Samplers run after the ``LogitsProcessorChain``: masks and truncations (top-k, top-p,
/// constraints) arrive as -inf entries, which a sampler must never choose. A sampler that
/// uses randomness owns its generator, so one sampler per sequence gives each sequence its
/// own reproducible stream.
///
/// ```swift
/// var sampler: any Sampler = CategoricalSampler(seed: 42)
/// let token = try sampler.sample(from: logits)
/// ```
public protocol Sampler: Sendable {
    /// The chosen token id, an index into `logits`.
    ///
    /// - Throws: ``GenerationError/noValidToken(context:)`` when every logit is -inf,
    ///   ``GenerationError/invalidLogits(detail:)`` on NaN or +inf.
    mutating func sample(from logits: [Float]) throws -> Int
}

/// Always chooses the most likely token (the argmax); ties go to the lowest id.
///
/// ```swift
/// var sampler = GreedySampler()
/// let token = try sampler.sample(from: [0.1, 2.5, 2.5])   // 1
/// ```
public struct GreedySampler: Sampler {
    /// A greedy sampler; it has no parameters and no state.
    public init() {}

    public mutating func sample(from logits: [Float]) throws -> Int {
        let best = try LogitsMath.maximum(of: logits, where: "greedy sampler")
        // maximum(of:) guarantees a finite best exists, so firstIndex cannot fail.
        return logits.firstIndex(of: best) ?? 0
    }
}
