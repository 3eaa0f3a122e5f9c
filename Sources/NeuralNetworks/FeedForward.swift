import Autograd
import Tensors

/// The position-wise feed-forward block: GPT-2's GELU MLP or LLaMA's SwiGLU
/// (Shazeer 2020, "GLU Variants Improve Transformer": `down(silu(gate(x)) * up(x))`).
public final class FeedForward: Module {
    /// `[F, C]`: the expansion (GPT-2 `c_fc`, LLaMA `up_proj`).
    public let up: Linear
    /// `[F, C]`: the gate (SwiGLU only).
    public let gate: Linear?
    /// `[C, F]`: the projection back (GPT-2 `c_proj`, LLaMA `down_proj`).
    public let down: Linear

    public init(configuration c: DecoderConfiguration, generator: inout SeededGenerator) {
        let f = c.resolvedIntermediateSize, bias = c.resolvedBias
        up = Linear(inputSize: c.hiddenSize, outputSize: f, bias: bias, standardDeviation: 0.02, generator: &generator)
        gate = c.flavor == .llama ? Linear(inputSize: c.hiddenSize, outputSize: f, bias: bias, standardDeviation: 0.02, generator: &generator) : nil
        down = Linear(inputSize: f, outputSize: c.hiddenSize, bias: bias,
                      standardDeviation: 0.02 / Float(2 * c.layerCount).squareRoot(), generator: &generator)
    }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        if let gate {
            return try down(try gate(x).silu() * up(x))
        }
        return try down(try up(x).gelu())
    }
}
