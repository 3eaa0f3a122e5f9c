/// Keeps the `k` most likely tokens and sets every other logit to -inf (top-k sampling).
///
/// Top-k truncation as popularised by Fan et al. 2018, "Hierarchical Neural Story
/// Generation", section 5. Exactly `k` tokens survive: among tokens tied with the k-th
/// largest logit the lower ids are kept, so the support never depends on sort stability.
/// Tokens already at -inf are never revived, so the support can be smaller than `k`.
///
/// ```swift
/// let processor = try TopKProcessor(k: 2)
/// var logits: [Float] = [0.1, 3, 2, -1]
/// try processor.process(&logits, context: [])   // [-inf, 3, 2, -inf]
/// ```
public struct TopKProcessor: LogitsProcessor {
    /// How many tokens survive, >= 1.
    public let k: Int

    /// - Throws: ``GenerationError/invalidSetting(field:reason:)`` naming `topK` if `k < 1`.
    public init(k: Int) throws {
        guard k >= 1 else {
            throw GenerationError.invalidSetting(field: "topK", reason: "must be >= 1, got \(k) (leave it unset to disable top-k)")
        }
        self.k = k
    }

    public func process(_ logits: inout [Float], context: [Int]) throws {
        guard k < logits.count else { return }
        // The k-th largest value splits the vocabulary: above it everything stays, at it only
        // as many (lowest ids first) as are needed to reach exactly k.
        let threshold = logits.sorted(by: >)[k - 1]
        var tiesToKeep = k - logits.reduce(0) { $0 + ($1 > threshold ? 1 : 0) }
        for i in logits.indices {
            if logits[i] > threshold { continue }
            if logits[i] == threshold, tiesToKeep > 0 {
                tiesToKeep -= 1
                continue
            }
            logits[i] = -.infinity
        }
    }
}
