#if canImport(Glibc)
import Glibc
#endif
import Autograd
import Tensors

/// Multi-head causal self-attention with grouped-query heads and learned or rotary
/// positions, over one fused QKV projection.
///
/// Vaswani et al. 2017 (multi-head attention), Ainslie et al. 2023 (grouped-query
/// attention), Su et al. 2021 (rotary positions). Training runs the differentiable
/// `fusedSelfAttention` op; decoding appends to a ``KeyValueCache`` per sequence and reads
/// keys and values from it in place.
public final class CausalSelfAttention: Module {
    /// `[ (H + 2 KV) * D, C ]`: queries, keys, values in one product.
    public let qkv: Linear
    /// `[C, H * D]`.
    public let output: Linear
    /// Query heads H.
    public let headCount: Int
    /// Key/value heads KV; each serves `H / KV` query heads.
    public let keyValueHeadCount: Int
    /// Size of each head D.
    public let headSize: Int
    let rotary: RotaryEmbedding?

    /// Builds the projections (normal init, std 0.02; the output projection scaled by
    /// `1/sqrt(2 L)`) and, for the LLaMA flavour, the rotary embedding.
    public init(configuration c: DecoderConfiguration, generator: inout SeededGenerator) {
        headCount = c.headCount
        keyValueHeadCount = c.resolvedKeyValueHeadCount
        headSize = c.resolvedHeadSize
        let std: Float = 0.02
        qkv = Linear(inputSize: c.hiddenSize, outputSize: (headCount + 2 * keyValueHeadCount) * headSize,
                     bias: c.resolvedBias, standardDeviation: std, generator: &generator)
        // GPT-2 scales residual projections by 1/sqrt(2 L) at initialisation.
        output = Linear(inputSize: headCount * headSize, outputSize: c.hiddenSize, bias: c.resolvedBias,
                        standardDeviation: std / Float(2 * c.layerCount).squareRoot(), generator: &generator)
        rotary = c.flavor == .llama ? RotaryEmbedding(headSize: headSize, theta: c.ropeTheta, positionScale: c.ropeScale, ntkFactor: c.ropeNTKFactor) : nil
    }

    /// Attention over `x` `[B, T, C]` (training and full recomputation).
    public func callAsFunction(_ x: Variable, positions: [[Int]], mask: Attention.Mask) throws -> Variable {
        var projected = try qkv(x)
        if let rotary {
            projected = try projected.rotaryEmbedding(rotary, heads: headCount, keyValueHeads: keyValueHeadCount, positions: positions)
        }
        let attended = try projected.fusedSelfAttention(heads: headCount, keyValueHeads: keyValueHeadCount, headSize: headSize, mask: mask)
        return try output(attended)
    }

    /// Incremental attention for `x` `[B, T, C]`: sequence `b` appends its T keys and values
    /// to `caches[b]` and attends to everything cached. No gradients.
    ///
    /// - Parameter masks: optional additive masks `[1, T, past + T]` per sequence; the
    ///   default is causal after the cached tokens.
    public func callAsFunction(_ x: Variable, positions: [[Int]], caches: [KeyValueCache], masks: [Tensor]? = nil) throws -> Variable {
        let (b, t) = (x.shape[0], x.shape[1])
        guard caches.count == b else {
            throw ModelError.invalidInput(detail: "\(caches.count) caches for a batch of \(b)")
        }
        let projected = try qkv(x).value.contiguous()
        if let rotary {
            Variable.rotate(projected, rotary, heads: headCount, keyValueHeads: keyValueHeadCount, positions: positions, direction: 1)
        }
        let width = (headCount + 2 * keyValueHeadCount) * headSize
        let result = Tensor(uninitializedShape: [b, t, headCount * headSize])
        let base = projected.storage.pointer + projected.offset
        let resultBase = result.storage.pointer
        let failures = ErrorBox()
        // Sequences are independent (each has its own cache): spread them over the workers.
        let tokens = t, heads = headCount, keyValueHeads = keyValueHeadCount, size = headSize
        Parallelism.forEachChunk(count: b, costPerItem: Parallelism.minimumParallelWork) { range in
            for sequence in range {
                let cache = caches[sequence]
                let past = cache.length
                let rows = base + sequence * tokens * width
                cache.append(keys: rows + heads * size, values: rows + (heads + keyValueHeads) * size,
                             count: tokens, sourceStride: width)
                let shape = Attention.Shape(batch: 1, heads: heads, keyValueHeads: keyValueHeads,
                                            queries: tokens, keys: past + tokens, headSize: size)
                let mask: Attention.Mask = masks.map { .additive($0[sequence]) } ?? .causal(offset: past)
                do {
                    try Attention.forward(
                        query: rows, queryLayout: Attention.Layout(batchStride: 0, headStride: size, tokenStride: width),
                        key: cache.keyPointer, keyLayout: cache.layout, value: cache.valuePointer, valueLayout: cache.layout,
                        shape: shape, scale: 1 / Float(size).squareRoot(), mask: mask,
                        output: resultBase + sequence * tokens * heads * size, probabilities: nil)
                } catch {
                    failures.record(error)
                }
            }
        }
        if let error = failures.first { throw error }
        return try output(Variable(result))
    }
}


extension CausalSelfAttention {
    /// Attention over packed rows `[R, L, C]` under a block-diagonal `mask`, copying each
    /// prompt's keys and values into its own cache (prepacking). No gradients.
    func packed(_ x: Variable, positions: [[Int]], mask: Tensor, placements: [PackedBatch.Placement], caches: [KeyValueCache]) throws -> Variable {
        let (rows, length) = (x.shape[0], x.shape[1])
        let projected = try qkv(x).value.contiguous()
        if let rotary {
            Variable.rotate(projected, rotary, heads: headCount, keyValueHeads: keyValueHeadCount, positions: positions, direction: 1)
        }
        let width = (headCount + 2 * keyValueHeadCount) * headSize
        let base = projected.storage.pointer + projected.offset
        for (placement, cache) in zip(placements, caches) {
            let start = base + (placement.row * length + placement.offset) * width
            cache.append(keys: start + headCount * headSize, values: start + (headCount + keyValueHeadCount) * headSize,
                         count: placement.length, sourceStride: width)
        }
        let layout = Attention.Layout(batchStride: length * width, headStride: headSize, tokenStride: width)
        let result = Tensor(uninitializedShape: [rows, length, headCount * headSize])
        try Attention.forward(
            query: base, queryLayout: layout, key: base + headCount * headSize, keyLayout: layout,
            value: base + (headCount + keyValueHeadCount) * headSize, valueLayout: layout,
            shape: Attention.Shape(batch: rows, heads: headCount, keyValueHeads: keyValueHeadCount, queries: length, keys: length, headSize: headSize),
            scale: 1 / Float(headSize).squareRoot(), mask: .additive(mask), output: result.storage.pointer, probabilities: nil)
        return try output(Variable(result))
    }
}

/// Collects the first error thrown inside a parallel loop (whose body cannot throw).
final class ErrorBox: @unchecked Sendable {
    private var error: Error?
    private var lock = pthread_mutex_t()
    init() { pthread_mutex_init(&lock, nil) }
    func record(_ error: Error) {
        pthread_mutex_lock(&lock)
        if self.error == nil { self.error = error }
        pthread_mutex_unlock(&lock)
    }
    var first: Error? { error }
}
