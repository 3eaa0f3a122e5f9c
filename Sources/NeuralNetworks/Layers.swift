import Autograd
import Tensors

/// A fully connected layer `y = x W^T + b` with `W` stored `[out, in]` (PyTorch's layout).
public final class Linear: Module {
    /// `[out, in]`; empty after ``quantize()``.
    public let weight: Variable
    /// `[out]`, or nil without a bias.
    public let bias: Variable?
    /// A low-rank adapter added to the output (LoRA), if one is attached.
    public var adapter: LowRankAdapter?
    /// Int8 weights, once ``quantize()`` has replaced the float ones (inference only).
    public private(set) var quantized: Int8Matrix?
    /// Features in.
    public let inputSize: Int
    /// Features out.
    public let outputSize: Int

    /// - Parameters:
    ///   - inputSize, outputSize: the feature sizes.
    ///   - bias: whether to add a learned bias.
    ///   - standardDeviation: normal init scale (default `1/sqrt(in)`-bounded uniform, as PyTorch).
    public init(inputSize: Int, outputSize: Int, bias: Bool = true, standardDeviation: Float? = nil,
                generator: inout SeededGenerator) {
        let w = standardDeviation.map { Tensor.normal([outputSize, inputSize], standardDeviation: $0, using: &generator) }
            ?? Tensor.kaimingUniform([outputSize, inputSize], fanIn: inputSize, using: &generator)
        weight = Variable(w, requiresGradient: true)
        self.bias = bias ? Variable(Tensor.zeros([outputSize]), requiresGradient: true) : nil
        self.inputSize = inputSize
        self.outputSize = outputSize
    }

    /// Replaces the float weight by int8 with per-output-channel scales (a quarter of the
    /// memory; decoding reads a quarter of the bytes). Irreversible; no training afterwards.
    public func quantize() throws {
        guard quantized == nil else { return }
        quantized = try Int8Matrix(weight.value)
        weight.value = Tensor.zeros([0])
        weight.requiresGradient = false
    }

    /// `[..., in] -> [..., out]`.
    public func callAsFunction(_ x: Variable) throws -> Variable {
        if let quantized {
            var y = try quantized.multiply(x.value)
            if let bias { y = try y + bias.value }
            if let adapter { y = try y + Tape.withoutGradient { try adapter(x) }.value }
            return Variable(y)
        }
        let y = try x.linear(weight: weight, bias: bias)
        guard let adapter else { return y }
        return try y + adapter(x)
    }
}

/// A lookup table of `count` vectors of size `dimension`.
public final class Embedding: Module {
    /// The table `[count, dimension]`.
    public let weight: Variable

    /// A table initialised from a normal distribution with `standardDeviation` (default 0.02).
    public init(count: Int, dimension: Int, standardDeviation: Float = 0.02, generator: inout SeededGenerator) {
        weight = Variable(Tensor.normal([count, dimension], standardDeviation: standardDeviation, using: &generator), requiresGradient: true)
    }

    /// Rows for `ids` (`[B][T]`) as `[B, T, C]`.
    public func callAsFunction(_ ids: [[Int]]) throws -> Variable {
        let flat = ids.flatMap { $0 }
        guard let bad = flat.first(where: { $0 < 0 || $0 >= weight.shape[0] }) else {
            return try weight.gatherRows(flat).reshaped([ids.count, ids.first?.count ?? 0, weight.shape[1]])
        }
        throw ModelError.invalidInput(detail: "token id \(bad) is outside the vocabulary 0..<\(weight.shape[0])")
    }
}

/// Layer normalisation (Ba et al. 2016) with learned gain and optional bias.
public final class LayerNorm: Module {
    /// Gain `[C]`, initialised to ones.
    public let weight: Variable
    /// Shift `[C]`, initialised to zeros; nil without a bias.
    public let bias: Variable?
    /// Added to the variance before the square root.
    public let epsilon: Float

    /// A layer norm over vectors of size `dimension`, with unit gain and zero shift.
    public init(dimension: Int, epsilon: Float = 1e-5, bias: Bool = true) {
        weight = Variable(Tensor.ones([dimension]), requiresGradient: true)
        self.bias = bias ? Variable(Tensor.zeros([dimension]), requiresGradient: true) : nil
        self.epsilon = epsilon
    }

    /// Normalises `x` `[..., C]` over its last axis.
    public func callAsFunction(_ x: Variable) throws -> Variable {
        try x.layerNorm(weight: weight, bias: bias, epsilon: epsilon)
    }
}

/// RMS normalisation (Zhang & Sennrich 2019), LLaMA's norm.
public final class RMSNorm: Module {
    /// Gain `[C]`, initialised to ones.
    public let weight: Variable
    /// Added to the mean square before the square root.
    public let epsilon: Float

    /// An RMS norm over vectors of size `dimension`, starting with unit gain.
    public init(dimension: Int, epsilon: Float = 1e-5) {
        weight = Variable(Tensor.ones([dimension]), requiresGradient: true)
        self.epsilon = epsilon
    }

    /// Normalises `x` `[..., C]` over its last axis.
    public func callAsFunction(_ x: Variable) throws -> Variable {
        try x.rmsNorm(weight: weight, epsilon: epsilon)
    }
}
