import Autograd
import Tensors

/// A fully connected layer `y = x W^T + b` with `W` stored `[out, in]` (PyTorch's layout).
public final class Linear: Module {
    public let weight: Variable
    public let bias: Variable?
    /// A low-rank adapter added to the output (LoRA), if one is attached.
    public var adapter: LowRankAdapter?

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
    }

    public var inputSize: Int { weight.shape[1] }
    public var outputSize: Int { weight.shape[0] }

    /// `[..., in] -> [..., out]`.
    public func callAsFunction(_ x: Variable) throws -> Variable {
        let y = try x.linear(weight: weight, bias: bias)
        guard let adapter else { return y }
        return try y + adapter(x)
    }
}

/// A lookup table of `count` vectors of size `dimension`.
public final class Embedding: Module {
    public let weight: Variable

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
    public let weight: Variable
    public let bias: Variable?
    public let epsilon: Float

    public init(dimension: Int, epsilon: Float = 1e-5, bias: Bool = true) {
        weight = Variable(Tensor.ones([dimension]), requiresGradient: true)
        self.bias = bias ? Variable(Tensor.zeros([dimension]), requiresGradient: true) : nil
        self.epsilon = epsilon
    }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        try x.layerNorm(weight: weight, bias: bias, epsilon: epsilon)
    }
}

/// RMS normalisation (Zhang & Sennrich 2019), LLaMA's norm.
public final class RMSNorm: Module {
    public let weight: Variable
    public let epsilon: Float

    public init(dimension: Int, epsilon: Float = 1e-5) {
        weight = Variable(Tensor.ones([dimension]), requiresGradient: true)
        self.epsilon = epsilon
    }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        try x.rmsNorm(weight: weight, epsilon: epsilon)
    }
}
