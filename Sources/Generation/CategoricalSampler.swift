#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensors

/// Draws the next token from the softmax of the processed logits, with a seedable generator.
///
/// The softmax subtracts the largest logit first, so logits of any magnitude work, and -inf
/// entries get probability exactly 0 (never chosen). The uniform draw has 53 random bits, so
/// tokens with probability down to about 1e-16 keep their share.
///
/// ```swift
/// var sampler = CategoricalSampler(seed: 7)
/// var logits = modelLogits
/// try TemperatureProcessor(temperature: 0.8).process(&logits, context: context)
/// let token = try sampler.sample(from: logits)
/// ```
public struct CategoricalSampler: Sampler {
    /// The random stream; advancing it is the sampler's only state.
    public var generator: SeededGenerator

    /// A sampler whose draws are fixed by `seed`.
    public init(seed: UInt64) {
        self.generator = SeededGenerator(seed: seed)
    }

    /// A sampler continuing an existing stream.
    public init(generator: SeededGenerator) {
        self.generator = generator
    }

    public mutating func sample(from logits: [Float]) throws -> Int {
        try draw(from: LogitsMath.softmax(logits, where: "categorical sampler"))
    }

    /// Draws like ``sample(from:)`` (the same token for the same stream) and also returns the
    /// token's log-probability under the distribution it was drawn from, which MaskGIT-style
    /// decoders use as the token's confidence.
    ///
    /// ```swift
    /// var sampler = CategoricalSampler(seed: 7)
    /// let (token, logProbability) = try sampler.sampleWithLogProbability(from: logits)
    /// ```
    public mutating func sampleWithLogProbability(from logits: [Float]) throws -> (token: Int, logProbability: Float) {
        let probabilities = try LogitsMath.softmax(logits, where: "categorical sampler")
        let token = draw(from: probabilities)
        return (token, Float(log(probabilities[token])))
    }

    /// One token from `probabilities` (which sum to 1), consuming one value of the stream.
    private mutating func draw(from probabilities: [Double]) -> Int {
        let uniform = Double(generator.next() >> 11) * (1.0 / 9_007_199_254_740_992.0)   // [0, 1)
        var cumulative = 0.0
        var lastPossible = 0
        for (token, probability) in probabilities.enumerated() where probability > 0 {
            cumulative += probability
            lastPossible = token
            if uniform < cumulative { return token }
        }
        // Rounding can leave the total just below the draw; fall back to the last token with
        // positive probability, never to a masked one.
        return lastPossible
    }
}
