// Patch reprogramming, Time-LLM (Jin et al. 2023), Sec. 3.1 "Patch Reprogramming": the
// frozen word embeddings E [V, D] are linearly mixed into V' text prototypes E' [V', D]
// (V' << V), and each patch embedding attends to them with multi-head cross-attention,
// Z_k = SOFTMAX(Q_k K_k^T / sqrt(d)) V_k with Q_k = X W_k^Q, K_k = E' W_k^K, V_k = E' W_k^V
// (Eq. 1); the heads are concatenated and projected to the backbone width D (Eq. 2).

import Autograd
import NeuralNetworks
import Tensors

/// Maps patch embeddings onto the language model's input space by cross-attention onto
/// text prototypes.
///
/// Shapes: B windows, P patches, d_m patch width, V vocabulary, V' prototypes, D backbone
/// width, K heads, d head width.
///
/// ```swift
/// let layer = try TextPrototypeReprogramming(wordEmbeddings: llm.embedding.weight.value, prototypeCount: 100,
///                                            patchWidth: 32, headCount: 8, headWidth: 16, generator: &generator)
/// let tokens = try layer(patches)      // [B, P, d_m] -> [B, P, D]
/// ```
public final class TextPrototypeReprogramming: Module {
    /// Linear map over the vocabulary axis, V -> V' (the prototypes' mixing weights).
    public let prototypeMixing: Linear
    /// W^Q for all heads: patch embedding d_m -> K * d.
    public let queryProjection: Linear
    /// W^K for all heads: prototype D -> K * d.
    public let keyProjection: Linear
    /// W^V for all heads: prototype D -> K * d.
    public let valueProjection: Linear
    /// Concatenated heads K * d -> backbone width D (Eq. 2).
    public let outputProjection: Linear
    /// Attention heads, K.
    public let headCount: Int
    /// Width of each head, d (the attention scores are scaled by 1 / sqrt(d)).
    public let headWidth: Int
    /// E^T `[D, V]`, a constant copy of the frozen word embeddings.
    private let transposedWords: Tensor

    /// A freshly initialised layer over a frozen LLM's word embeddings.
    ///
    /// - Parameters:
    ///   - wordEmbeddings: the frozen LLM's token table `[V, D]`.
    ///   - prototypeCount: V'.
    ///   - patchWidth: d_m, the width of the incoming patch embeddings.
    ///   - headCount, headWidth: K heads of width d.
    public init(wordEmbeddings: Tensor, prototypeCount: Int, patchWidth: Int, headCount: Int, headWidth: Int,
                generator: inout SeededGenerator) throws {
        let (vocabulary, width) = (wordEmbeddings.shape[0], wordEmbeddings.shape[1])
        transposedWords = try wordEmbeddings.transposed(0, 1).contiguous()
        prototypeMixing = Linear(inputSize: vocabulary, outputSize: prototypeCount, generator: &generator)
        queryProjection = Linear(inputSize: patchWidth, outputSize: headCount * headWidth, generator: &generator)
        keyProjection = Linear(inputSize: width, outputSize: headCount * headWidth, generator: &generator)
        valueProjection = Linear(inputSize: width, outputSize: headCount * headWidth, generator: &generator)
        outputProjection = Linear(inputSize: headCount * headWidth, outputSize: width, generator: &generator)
        self.headCount = headCount
        self.headWidth = headWidth
    }

    /// The text prototypes E' `[V', D]`.
    public func prototypes() throws -> Variable {
        try prototypeMixing(Variable(transposedWords)).transposed(0, 1)     // [D, V'] -> [V', D]
    }

    /// `[B, P, d_m] -> [B, P, D]`.
    public func callAsFunction(_ patches: Variable) throws -> Variable {
        let (b, p) = (patches.shape[0], patches.shape[1])
        let (k, d) = (headCount, headWidth)
        let prototypes = try self.prototypes()                                             // [V', D]
        let count = prototypes.shape[0]
        let queries = try queryProjection(patches).reshaped([b, p, k, d]).permuted([0, 2, 1, 3])      // [B, K, P, d]
        let keys = try keyProjection(prototypes).reshaped([count, k, d]).permuted([1, 2, 0])         // [K, d, V']
        let values = try valueProjection(prototypes).reshaped([count, k, d]).permuted([1, 0, 2])     // [K, V', d]
        let weights = try (queries.matmul(keys) * (1 / Float(d).squareRoot())).softmax()            // [B, K, P, V']
        let mixed = try weights.matmul(values).permuted([0, 2, 1, 3]).reshaped([b, p, k * d])        // [B, P, K*d]
        return try outputProjection(mixed)                                                           // [B, P, D]
    }
}
