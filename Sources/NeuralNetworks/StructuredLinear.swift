import Autograd
import Tensors

/// A linear map with a structured weight, for feed-forward blocks trained from scratch
/// (Wei et al. 2024, "Building on Efficient Foundations: Effectively Training LLMs with
/// Structured Feedforward Layers", sections 3-4):
///
/// - low rank: `W = U V`, `V` `[r, in]`, `U` `[out, r]`: `r (in + out)` parameters;
/// - block diagonal: `b` independent `[out/b, in/b]` blocks: `in * out / b` parameters.
///
/// Self-guided training (section 4.2): a dense path runs beside the structured one and the
/// output is `g * dense(x) + (1 - g) * structured(x)`; the guidance `g` is annealed from 1 to 0
/// early in training, after which the dense path is dropped. The structured weights thus
/// start from where a dense model would lead them instead of their poor early optimum.
public final class StructuredLinear: Module {
    /// How the weight is factored.
    public enum Structure: Sendable, Equatable, Codable {
        /// `W = U V` through a bottleneck of `rank`.
        case lowRank(rank: Int)
        /// `blocks` independent diagonal blocks; `blocks` must divide both sizes.
        case blockDiagonal(blocks: Int)
    }

    /// How the weight is factored.
    public let structure: Structure
    /// Features in.
    public let inputSize: Int
    /// Features out.
    public let outputSize: Int
    /// Low rank: `V` `[r, in]` then `U` `[out, r]` (the second carries the bias).
    let first: Linear?
    let second: Linear?
    /// Block diagonal: `[b, out/b, in/b]`, and the bias `[out]`.
    let blocks: Variable?
    let bias: Variable?
    /// The dense path of self-guided training, until ``dropGuide()``.
    public private(set) var guide: Linear?
    /// The guide's share of the output, annealed from 1 to 0.
    public var guidance: Float = 0

    /// Builds the structured weight and, with `selfGuided`, a dense guide at `guidance` 1.
    ///
    /// - Parameters:
    ///   - standardDeviation: normal init scale of `V` (low rank) and of the guide; block-diagonal
    ///     blocks use `standardDeviation * sqrt(blocks)` and `U` uses `1/sqrt(rank)`.
    /// - Throws: ``ModelError/invalidConfiguration(field:detail:)`` when the rank is below 1 or the
    ///   block count does not divide both sizes.
    public init(inputSize: Int, outputSize: Int, structure: Structure, bias: Bool, selfGuided: Bool,
                standardDeviation: Float, generator: inout SeededGenerator) throws {
        self.structure = structure
        self.inputSize = inputSize
        self.outputSize = outputSize
        switch structure {
        case .lowRank(let rank):
            guard rank >= 1 else { throw ModelError.invalidConfiguration(field: "feedForwardStructure", detail: "rank must be positive") }
            first = Linear(inputSize: inputSize, outputSize: rank, bias: false, standardDeviation: standardDeviation, generator: &generator)
            second = Linear(inputSize: rank, outputSize: outputSize, bias: bias,
                            standardDeviation: 1 / Float(rank).squareRoot(), generator: &generator)
            blocks = nil
            self.bias = nil
        case .blockDiagonal(let count):
            guard count >= 1, inputSize % count == 0, outputSize % count == 0 else {
                throw ModelError.invalidConfiguration(field: "feedForwardStructure", detail: "\(count) blocks must divide \(inputSize) and \(outputSize)")
            }
            first = nil
            second = nil
            blocks = Variable(Tensor.normal([count, outputSize / count, inputSize / count], standardDeviation: standardDeviation * Float(count).squareRoot(),
                                            using: &generator), requiresGradient: true)
            self.bias = bias ? Variable(Tensor.zeros([outputSize]), requiresGradient: true) : nil
        }
        if selfGuided {
            guide = Linear(inputSize: inputSize, outputSize: outputSize, bias: bias, standardDeviation: standardDeviation, generator: &generator)
            guidance = 1
        }
    }

    /// Parameters of the structured path (the guide excluded).
    public var structuredParameterCount: Int {
        namedParameters().filter { !$0.name.hasPrefix("guide.") }.reduce(0) { $0 + $1.variable.value.count }
    }

    /// Removes the dense path for good (after annealing).
    public func dropGuide() {
        guide = nil
        guidance = 0
    }

    /// `[..., in] -> [..., out]`.
    public func callAsFunction(_ x: Variable) throws -> Variable {
        let structured = try structuredForward(x)
        guard let guide, guidance > 0 else { return structured }
        if guidance >= 1 { return try guide(x) }
        return try guide(x) * guidance + structured * (1 - guidance)
    }

    private func structuredForward(_ x: Variable) throws -> Variable {
        if let first, let second { return try second(first(x)) }
        let count = blocks!.shape[0], inner = inputSize / count
        let leading = Array(x.shape.dropLast())
        let rows = leading.reduce(1, *)
        // [N, in] -> [b, N, in/b] x [b, in/b, out/b] -> [b, N, out/b] -> [N, out]
        let split = try x.reshaped([rows, count, inner]).permuted([1, 0, 2])
        let product = try split.matmul(blocks!.transposed(1, 2))
        var y = try product.permuted([1, 0, 2]).reshaped(leading + [outputSize])
        if let bias { y = try y + bias }
        return y
    }
}
