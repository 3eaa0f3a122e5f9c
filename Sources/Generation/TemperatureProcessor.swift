/// Divides every logit by a temperature: below 1 sharpens the distribution, above 1 flattens it.
///
/// `softmax(l / t)`: as `t -> 0` sampling approaches greedy decoding, which is why a
/// temperature of exactly 0 is rejected here; choose ``GreedySampler`` (settings mode
/// `greedy`) instead.
///
/// ```swift
/// let processor = try TemperatureProcessor(temperature: 0.7)
/// var logits: [Float] = [1.4, 0.7, 0]
/// try processor.process(&logits, context: [])   // [2, 1, 0]
/// ```
public struct TemperatureProcessor: LogitsProcessor {
    /// The divisor, finite and > 0.
    public let temperature: Float

    /// - Throws: ``GenerationError/invalidSetting(field:reason:)`` naming `temperature` unless
    ///   it is finite and > 0.
    public init(temperature: Float) throws {
        guard temperature.isFinite, temperature > 0 else {
            throw GenerationError.invalidSetting(
                field: "temperature",
                reason: "must be finite and > 0 for sampling, got \(temperature) (use mode \"greedy\" for deterministic decoding)")
        }
        self.temperature = temperature
    }

    public func process(_ logits: inout [Float], context: [Int]) throws {
        guard temperature != 1 else { return }
        // Division, not multiplication by 1/t, so that the result is exactly l / t.
        for i in logits.indices { logits[i] /= temperature }
    }
}
