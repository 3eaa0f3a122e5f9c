import Autograd
import NeuralNetworks
import Tensors

/// A map between a segment of S points and a backbone vector of width C: linear, or one
/// hidden GELU layer (AutoTimes, Liu et al. 2024, Sec. 3.1, "SegmentEmbedding" and
/// "SegmentProjection", Eq. 3 and 5).
public final class SegmentMap: Module {
    /// The linear map (`in -> out`), or the MLP's first layer (`in -> hidden`).
    public let first: Linear
    /// The MLP's second layer (`hidden -> out`); nil for the linear kind.
    public let second: Linear?

    /// A freshly initialised map from `inputSize` to `outputSize` features.
    ///
    /// - Parameters:
    ///   - inputSize, outputSize: the widths mapped between.
    ///   - kind: linear or MLP.
    ///   - hiddenSize: the MLP's hidden width.
    public init(inputSize: Int, outputSize: Int, kind: ForecasterConfiguration.EmbeddingKind, hiddenSize: Int,
                generator: inout SeededGenerator) {
        switch kind {
        case .linear:
            first = Linear(inputSize: inputSize, outputSize: outputSize, generator: &generator)
            second = nil
        case .mlp:
            first = Linear(inputSize: inputSize, outputSize: hiddenSize, generator: &generator)
            second = Linear(inputSize: hiddenSize, outputSize: outputSize, generator: &generator)
        }
    }

    /// `[..., in] -> [..., out]`.
    public func callAsFunction(_ x: Variable) throws -> Variable {
        let hidden = try first(x)
        guard let second else { return hidden }
        return try second(hidden.gelu())
    }
}
