import Autograd
import Tensors

/// One pre-norm transformer block: `x += attention(norm(x))`, `x += feedForward(norm(x))`.
public final class TransformerBlock: Module {
    public let attentionNorm: Normalization
    public let attention: CausalSelfAttention
    public let feedForwardNorm: Normalization
    public let feedForward: FeedForward

    public init(configuration c: DecoderConfiguration, generator: inout SeededGenerator) throws {
        attentionNorm = Normalization(configuration: c)
        attention = CausalSelfAttention(configuration: c, generator: &generator)
        feedForwardNorm = Normalization(configuration: c)
        feedForward = try FeedForward(configuration: c, generator: &generator)
    }

    /// Full-sequence forward (training, recomputation).
    public func callAsFunction(_ x: Variable, positions: [[Int]], mask: Attention.Mask) throws -> Variable {
        let attended = try x + attention(attentionNorm(x), positions: positions, mask: mask)
        return try attended + feedForward(feedForwardNorm(attended))
    }

    /// Incremental forward against per-sequence caches.
    public func callAsFunction(_ x: Variable, positions: [[Int]], caches: [KeyValueCache], masks: [Tensor]?) throws -> Variable {
        let attended = try x + attention(attentionNorm(x), positions: positions, caches: caches, masks: masks)
        return try attended + feedForward(feedForwardNorm(attended))
    }
}

/// LayerNorm or RMSNorm, as the configuration's flavour says.
public final class Normalization: Module {
    public let weight: Variable
    public let bias: Variable?
    public let epsilon: Float
    public let centered: Bool

    public init(configuration c: DecoderConfiguration) {
        weight = Variable(Tensor.ones([c.hiddenSize]), requiresGradient: true)
        centered = c.flavor == .gpt2
        bias = centered ? Variable(Tensor.zeros([c.hiddenSize]), requiresGradient: true) : nil
        epsilon = c.normEpsilon
    }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        centered ? try x.layerNorm(weight: weight, bias: bias, epsilon: epsilon) : try x.rmsNorm(weight: weight, epsilon: epsilon)
    }
}
