import Tensors

/// Layer skipping for decoding, two methods from the project's literature:
///
/// - SkipDecode (Del Corro et al. 2023, "SkipDecode: Autoregressive Skip Decoding with
///   Batching and Caching for Efficient LLM Inference", section 3): the exit layer decreases
///   linearly from `maximumLayers` at `startPosition` to `minimumLayers` at `endPosition`
///   and never rises, so a later token never needs keys and values that an earlier token
///   skipped: batching and the KV cache stay valid. Tokens exit through the final norm and
///   head.
/// - FFN-SkipLLM (Jaiswal et al. 2024, "FFN-SkipLLM: A Hidden Gem for Autoregressive Decoding
///   with Adaptive Feed-Forward Skipping", section 3): a feed-forward block whose output
///   hidden state is nearly collinear with its input (cosine above `cosineThreshold`) changes
///   little. The first `warmupTokens` model calls (the prompt's prefill counts as the first)
///   run every block and record each layer's cosine, one value per call over all its tokens
///   and sequences; afterwards the blocks whose mean cosine exceeded the threshold are skipped
///   (their attention still runs, so the cache stays complete).
public final class LayerSkipping: @unchecked Sendable {
    /// Which skipping method, with its settings.
    public enum Method: Sendable, Equatable {
        /// SkipDecode: the exit layer falls linearly from `maximumLayers` at `startPosition` to
        /// `minimumLayers` at `endPosition`.
        case skipDecode(maximumLayers: Int, minimumLayers: Int, startPosition: Int, endPosition: Int)
        /// FFN-SkipLLM: after `warmupTokens` model calls (prefill included), skip the
        /// feed-forward blocks whose mean input/output cosine exceeded `cosineThreshold`.
        case feedForward(cosineThreshold: Float, warmupTokens: Int)
    }

    /// The method and settings this instance applies.
    public let method: Method
    private var cosineSums: [Int: Double] = [:]
    private var observations: [Int: Int] = [:]
    private var decodedTokens = 0

    /// - Throws: on inconsistent settings (naming the field).
    public init(_ method: Method) throws {
        switch method {
        case let .skipDecode(maximum, minimum, start, end):
            guard minimum >= 1, maximum >= minimum, end >= start, start >= 0 else {
                throw ModelError.invalidConfiguration(field: "skip", detail: "need 1 <= minimum <= maximum layers and 0 <= start <= end position")
            }
        case let .feedForward(threshold, warmup):
            guard threshold > 0, threshold <= 1, warmup >= 1 else {
                throw ModelError.invalidConfiguration(field: "skip", detail: "cosine threshold must be in (0, 1] and warm-up at least one token")
            }
        }
        self.method = method
    }

    /// Layers used by a token at `position` (all of them for FFN skipping).
    public func exitLayer(position: Int, layerCount: Int) -> Int {
        guard case let .skipDecode(maximum, minimum, start, end) = method else { return layerCount }
        let top = Swift.min(maximum, layerCount), bottom = Swift.min(minimum, top)
        if position <= start { return top }
        if position >= end { return bottom }
        let fraction = Double(position - start) / Double(Swift.max(end - start, 1))
        // The number of dropped layers is rounded down: non-increasing in position.
        return Swift.max(bottom, top - Int((Double(top - bottom) * fraction).rounded(.down)))
    }

    /// Whether layer `layer`'s feed-forward block is skipped for this step.
    func skipsFeedForward(layer: Int, caches: [SequenceCache]) -> Bool {
        guard case let .feedForward(threshold, warmup) = method, decodedTokens >= warmup else { return false }
        guard let count = observations[layer], count > 0 else { return false }
        return cosineSums[layer, default: 0] / Double(count) > Double(threshold)
    }

    /// Records the cosine between a feed-forward block's input and output (during warm-up).
    func observe(layer: Int, input: Tensor, output: Tensor, caches: [SequenceCache]) {
        guard case let .feedForward(_, warmup) = method, decodedTokens < warmup else { return }
        let a = input.scalars, b = output.scalars
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in a.indices { dot += Double(a[i] * b[i]); na += Double(a[i] * a[i]); nb += Double(b[i] * b[i]) }
        cosineSums[layer, default: 0] += dot / Swift.max((na * nb).squareRoot(), 1e-30)
        observations[layer, default: 0] += 1
    }

    /// Call once per decoded step (after the forward pass) so the warm-up can end.
    public func advance() { decodedTokens += 1 }

    /// Layers whose feed-forward block is being skipped now.
    public var skippedFeedForwardLayers: [Int] {
        guard case let .feedForward(threshold, warmup) = method, decodedTokens >= warmup else { return [] }
        return observations.keys.sorted().filter { cosineSums[$0, default: 0] / Double(observations[$0]!) > Double(threshold) }
    }
}
