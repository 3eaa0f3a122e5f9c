import Autograd
import Tensors

/// One pre-norm transformer block: `x += attention(norm(x))`, `x += feedForward(norm(x))`.
public final class TransformerBlock: Module {
    /// Norm before attention.
    public let attentionNorm: Normalization
    /// The self-attention sublayer.
    public let attention: CausalSelfAttention
    /// Norm before the feed-forward block.
    public let feedForwardNorm: Normalization
    /// The feed-forward sublayer.
    public let feedForward: FeedForward

    /// Builds a block from the configuration.
    ///
    /// - Throws: ``ModelError/invalidConfiguration(field:detail:)`` from a structured feed-forward
    ///   block whose structure does not fit the sizes.
    public init(configuration c: DecoderConfiguration, generator: inout SeededGenerator) throws {
        attentionNorm = Normalization(configuration: c)
        attention = CausalSelfAttention(configuration: c, generator: &generator)
        feedForwardNorm = Normalization(configuration: c)
        feedForward = try FeedForward(configuration: c, generator: &generator)
    }

    /// Full-sequence forward (training, recomputation); `dropout`, when given, is applied to
    /// each sublayer's output before its residual addition.
    public func callAsFunction(_ x: Variable, positions: [[Int]], mask: Attention.Mask,
                               dropout: ((Variable) throws -> Variable)? = nil) throws -> Variable {
        let output = try attention(attentionNorm(x), positions: positions, mask: mask)
        let attended = try x + (dropout.map { try $0(output) } ?? output)
        let fed = try feedForward(feedForwardNorm(attended))
        return try attended + (dropout.map { try $0(fed) } ?? fed)
    }

    /// Incremental forward against per-sequence caches.
    public func callAsFunction(_ x: Variable, positions: [[Int]], caches: [KeyValueCache], masks: [Tensor]?) throws -> Variable {
        let attended = try x + attention(attentionNorm(x), positions: positions, caches: caches, masks: masks)
        return try attended + feedForward(feedForwardNorm(attended))
    }
}

/// LayerNorm or RMSNorm, as the configuration's flavour says.
public final class Normalization: Module {
    /// Gain `[C]`, initialised to ones.
    public let weight: Variable
    /// Shift `[C]` (LayerNorm only).
    public let bias: Variable?
    /// Added to the variance (or mean square) before the square root.
    public let epsilon: Float
    /// True for LayerNorm (GPT-2), false for RMSNorm (LLaMA).
    public let centered: Bool

    /// A norm of width C with the configuration's flavour and epsilon.
    public init(configuration c: DecoderConfiguration) {
        weight = Variable(Tensor.ones([c.hiddenSize]), requiresGradient: true)
        centered = c.flavor == .gpt2
        bias = centered ? Variable(Tensor.zeros([c.hiddenSize]), requiresGradient: true) : nil
        epsilon = c.normEpsilon
    }

    /// Normalises `x` `[..., C]` over its last axis.
    public func callAsFunction(_ x: Variable) throws -> Variable {
        centered ? try x.layerNorm(weight: weight, bias: bias, epsilon: epsilon) : try x.rmsNorm(weight: weight, epsilon: epsilon)
    }
}
