import Tensors

/// Self-attention over a fused QKV projection, and rotary embedding of its Q and K parts.
///
/// The fused layout `[B, T, (H + 2 KV) * D]` (queries, then keys, then values, head-major
/// inside each) lets one GEMM produce all three projections; attention reads them in place,
/// and backward writes `dQ`, `dK`, `dV` into one gradient of the same layout.
extension Variable {
    /// Layouts of the Q, K and V sections of a fused `[B, T, (H + 2 KV) * D]` tensor.
    static func fusedLayouts(tokens: Int, heads: Int, keyValueHeads: Int, headSize: Int)
        -> (query: Attention.Layout, key: Attention.Layout, value: Attention.Layout, width: Int) {
        let width = (heads + 2 * keyValueHeads) * headSize
        let layout = Attention.Layout(batchStride: tokens * width, headStride: headSize, tokenStride: width)
        return (layout, layout, layout, width)
    }

    /// Causal (or masked) self-attention of a fused QKV variable `[B, T, (H + 2 KV) * D]`;
    /// returns `[B, T, H * D]`.
    public func fusedSelfAttention(
        heads: Int, keyValueHeads: Int, headSize: Int, mask: Attention.Mask = .causal(offset: 0), scale: Float? = nil
    ) throws -> Variable {
        guard value.rank == 3, value.shape[2] == (heads + 2 * keyValueHeads) * headSize else {
            throw TensorError.shapeMismatch(operation: "fused self-attention", lhs: value.shape, rhs: [-1, -1, (heads + 2 * keyValueHeads) * headSize])
        }
        let (b, t) = (value.shape[0], value.shape[1])
        let qkv = value.contiguous()
        let layouts = Variable.fusedLayouts(tokens: t, heads: heads, keyValueHeads: keyValueHeads, headSize: headSize)
        let shape = Attention.Shape(batch: b, heads: heads, keyValueHeads: keyValueHeads, queries: t, keys: t, headSize: headSize)
        let factor = scale ?? 1 / Float(headSize).squareRoot()
        let output = Tensor(uninitializedShape: [b, t, heads * headSize])
        let keep = requiresGradient && Tape.current.isRecording
        let probabilities = keep ? Tensor(uninitializedShape: [b, heads, t, t]) : nil
        let base = qkv.storage.pointer + qkv.offset
        let keyBase = base + heads * headSize, valueBase = base + (heads + keyValueHeads) * headSize
        try Attention.forward(
            query: base, queryLayout: layouts.query, key: keyBase, keyLayout: layouts.key,
            value: valueBase, valueLayout: layouts.value, shape: shape, scale: factor, mask: mask,
            output: output.storage.pointer, probabilities: probabilities?.storage.pointer)
        return Tape.record(output, inputs: [self]) { g in
            let gradient = Tensor.zeros(qkv.shape)
            let dBase = gradient.storage.pointer
            let dy = g.contiguous()
            Attention.backward(
                query: base, queryLayout: layouts.query, key: keyBase, keyLayout: layouts.key,
                value: valueBase, valueLayout: layouts.value, shape: shape, scale: factor,
                probabilities: probabilities!.storage.pointer, outputGradient: dy.storage.pointer + dy.offset,
                queryGradient: dBase, keyGradient: dBase + heads * headSize,
                valueGradient: dBase + (heads + keyValueHeads) * headSize)
            return [gradient]
        }
    }

    /// Rotates the query and key sections of a fused QKV variable by each token's position
    /// (`positions[b][t]`); values pass through.
    public func rotaryEmbedding(
        _ rotary: RotaryEmbedding, heads: Int, keyValueHeads: Int, positions: [[Int]]
    ) throws -> Variable {
        let headSize = rotary.headSize
        guard value.rank == 3, value.shape[2] == (heads + 2 * keyValueHeads) * headSize,
              positions.count == value.shape[0], positions.allSatisfy({ $0.count == value.shape[1] }) else {
            throw TensorError.shapeMismatch(operation: "rotary embedding", lhs: value.shape, rhs: [positions.count, positions.first?.count ?? 0])
        }
        let output = value.copy()
        Variable.rotate(output, rotary, heads: heads, keyValueHeads: keyValueHeads, positions: positions, direction: 1)
        return Tape.record(output, inputs: [self]) { g in
            let gradient = g.copy()
            Variable.rotate(gradient, rotary, heads: heads, keyValueHeads: keyValueHeads, positions: positions, direction: -1)
            return [gradient]
        }
    }

    /// Rotates Q and K heads of every token of a dense fused `[B, T, (H + 2 KV) * D]`
    /// tensor in place (`direction` +1 forward, -1 backward). For caches and inference.
    public static func rotate(_ tensor: Tensor, _ rotary: RotaryEmbedding, heads: Int, keyValueHeads: Int, positions: [[Int]], direction: Float) {
        let (b, t, width) = (tensor.shape[0], tensor.shape[1], tensor.shape[2])
        let pointer = tensor.storage.pointer + tensor.offset
        for batch in 0..<b {
            for token in 0..<t {
                let row = pointer + (batch * t + token) * width
                // Queries and keys are adjacent heads of the same size: rotate H + KV heads.
                rotary.rotate(row, heads: heads + keyValueHeads, headStride: rotary.headSize,
                              position: positions[batch][token], direction: direction)
            }
        }
    }
}
