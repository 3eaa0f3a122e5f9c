/// Discourages tokens that already occur in the context (prompt and generated tokens).
///
/// Keskar et al. 2019, "CTRL: A Conditional Transformer Language Model for Controllable
/// Generation", section 4.1 (penalized sampling). The paper divides the logit of every seen
/// token by the penalty; dividing a negative logit would *raise* it, so, as in the CTRL and
/// Hugging Face code, positive logits are divided and negative ones multiplied. Either way a
/// penalty > 1 lowers the token, < 1 favours it. Each distinct token is penalised once,
/// however often it occurs.
///
/// ```swift
/// let processor = try RepetitionPenaltyProcessor(penalty: 2)
/// var logits: [Float] = [4, -1, 3]
/// try processor.process(&logits, context: [0, 1, 0])   // [2, -2, 3]
/// ```
public struct RepetitionPenaltyProcessor: LogitsProcessor {
    /// The penalty, finite and > 0; 1 disables it.
    public let penalty: Float

    /// - Throws: ``GenerationError/invalidSetting(field:reason:)`` naming `repetitionPenalty`
    ///   unless it is finite and > 0.
    public init(penalty: Float) throws {
        guard penalty.isFinite, penalty > 0 else {
            throw GenerationError.invalidSetting(
                field: "repetitionPenalty", reason: "must be finite and > 0 (1 disables it), got \(penalty)")
        }
        self.penalty = penalty
    }

    public func process(_ logits: inout [Float], context: [Int]) throws {
        guard penalty != 1 else { return }
        var seen = Set<Int>()
        for token in context where logits.indices.contains(token) && seen.insert(token).inserted {
            let value = logits[token]
            logits[token] = value > 0 ? value / penalty : value * penalty
        }
    }
}
