/// Keeps the smallest set of most likely tokens whose probability mass reaches `p`
/// (nucleus sampling).
///
/// Holtzman et al. 2019, "The Curious Case of Neural Text Degeneration", section 3.1,
/// equation 2: the nucleus V(p) is the smallest prefix of the tokens sorted by probability
/// with cumulative mass >= p. A token is kept when the mass of the tokens ranked strictly
/// above it is < p, so the most likely token always survives. Ties rank the lower id first.
/// Probabilities are the softmax of the logits as they arrive, so apply temperature first.
///
/// ```swift
/// let processor = try TopPProcessor(p: 0.75)
/// var logits: [Float] = [log(0.5), log(0.3), log(0.2)]
/// try processor.process(&logits, context: [])   // [log 0.5, log 0.3, -inf]
/// ```
public struct TopPProcessor: LogitsProcessor {
    /// The probability mass to keep, in (0, 1].
    public let p: Float

    /// - Throws: ``GenerationError/invalidSetting(field:reason:)`` naming `topP` unless
    ///   `0 < p <= 1`.
    public init(p: Float) throws {
        guard p > 0, p <= 1 else {
            throw GenerationError.invalidSetting(field: "topP", reason: "must be in (0, 1], got \(p)")
        }
        self.p = p
    }

    public func process(_ logits: inout [Float], context: [Int]) throws {
        guard p < 1 else { return }
        let probabilities = try LogitsMath.softmax(logits, where: "top-p")
        let order = logits.indices.sorted {
            probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1
        }
        var massAbove = 0.0
        var cut = order.count
        for (rank, token) in order.enumerated() {
            if massAbove >= Double(p) {
                cut = rank
                break
            }
            massAbove += probabilities[token]
        }
        for token in order[cut...] { logits[token] = -.infinity }
    }
}
