import Autograd
import Tensors

/// The position-wise feed-forward block: GPT-2's GELU MLP or LLaMA's SwiGLU
/// (Shazeer 2020, "GLU Variants Improve Transformer": `down(silu(gate(x)) * up(x))`), with
/// dense or structured (``StructuredLinear``) projections.
public final class FeedForward: Module {
    /// `[F, C]`: the expansion (GPT-2 `c_fc`, LLaMA `up_proj`); nil when structured.
    public let up: Linear?
    /// `[F, C]`: the gate (SwiGLU only).
    public let gate: Linear?
    /// `[C, F]`: the projection back (GPT-2 `c_proj`, LLaMA `down_proj`).
    public let down: Linear?
    /// Structured replacements of up, gate and down.
    public let structuredUp: StructuredLinear?
    /// Structured replacement of ``gate`` (SwiGLU only).
    public let structuredGate: StructuredLinear?
    /// Structured replacement of ``down``.
    public let structuredDown: StructuredLinear?

    /// Builds dense or structured projections as `c.feedForwardStructure` says (normal init,
    /// std 0.02; the down projection scaled by `1/sqrt(2 L)`).
    ///
    /// - Throws: ``ModelError/invalidConfiguration(field:detail:)`` when the structure does not fit
    ///   the sizes.
    public init(configuration c: DecoderConfiguration, generator: inout SeededGenerator) throws {
        let f = c.resolvedIntermediateSize, bias = c.resolvedBias, swiglu = c.flavor == .llama
        let downDeviation = 0.02 / Float(2 * c.layerCount).squareRoot()
        if let structure = c.feedForwardStructure {
            func make(_ input: Int, _ output: Int, _ deviation: Float) throws -> StructuredLinear {
                try StructuredLinear(inputSize: input, outputSize: output, structure: structure, bias: bias,
                                     selfGuided: c.selfGuidedTraining, standardDeviation: deviation, generator: &generator)
            }
            structuredUp = try make(c.hiddenSize, f, 0.02)
            structuredGate = swiglu ? try make(c.hiddenSize, f, 0.02) : nil
            structuredDown = try make(f, c.hiddenSize, downDeviation)
            (up, gate, down) = (nil, nil, nil)
        } else {
            up = Linear(inputSize: c.hiddenSize, outputSize: f, bias: bias, standardDeviation: 0.02, generator: &generator)
            gate = swiglu ? Linear(inputSize: c.hiddenSize, outputSize: f, bias: bias, standardDeviation: 0.02, generator: &generator) : nil
            down = Linear(inputSize: f, outputSize: c.hiddenSize, bias: bias, standardDeviation: downDeviation, generator: &generator)
            (structuredUp, structuredGate, structuredDown) = (nil, nil, nil)
        }
    }

    private func project(_ linear: Linear?, _ structured: StructuredLinear?, _ x: Variable) throws -> Variable {
        if let linear { return try linear(x) }
        return try structured!(x)
    }

    /// `[..., C] -> [..., C]`: `down(gelu(up(x)))` (GPT-2) or `down(silu(gate(x)) * up(x))` (LLaMA).
    public func callAsFunction(_ x: Variable) throws -> Variable {
        let expanded = try project(up, structuredUp, x)
        if gate != nil || structuredGate != nil {
            return try project(down, structuredDown, try project(gate, structuredGate, x).silu() * expanded)
        }
        return try project(down, structuredDown, expanded.gelu())
    }
}

extension DecoderTransformer {
    /// Sets the dense guide's share in every structured feed-forward layer (self-guided
    /// training anneals it from 1 to 0).
    public func setFeedForwardGuidance(_ guidance: Float) {
        for (_, module) in namedModules() { (module as? StructuredLinear)?.guidance = guidance }
    }

    /// Drops the dense guides once annealing is over.
    public func dropFeedForwardGuides() {
        for (_, module) in namedModules() { (module as? StructuredLinear)?.dropGuide() }
    }
}
