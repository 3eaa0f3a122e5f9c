/// Scaled dot-product attention (Vaswani et al. 2017, "Attention Is All You Need", eq. 1)
/// with grouped-query heads (Ainslie et al. 2023, GQA), forward and backward side by side.
///
/// Q, K and V are read in place through strides, so they can come straight from a fused
/// QKV projection `[B, T, (H + 2 KV) * D]` or from a KV cache `[KV, capacity, D]`; each
/// head's matrices go to BLAS with their row stride as the leading dimension. Forward saves
/// the probabilities `P` `[B, H, T, S]`, which is all backward needs besides Q, K, V:
/// `dV = P^T dO`, `dP = dO V^T`, `dS = P * (dP - rowsum(dP * P)) * scale`, `dQ = dS K`,
/// `dK = dS^T Q`.
public enum Attention {
    /// Where one operand's rows live: element `(b, head, token, d)` is at
    /// `base + b * batchStride + head * headStride + token * tokenStride + d`.
    public struct Layout: Sendable, Equatable {
        /// Elements between consecutive sequences.
        public var batchStride: Int
        /// Elements between consecutive heads.
        public var headStride: Int
        /// Elements between consecutive tokens (the row stride handed to BLAS).
        public var tokenStride: Int

        /// Creates a layout from its three strides (in elements).
        public init(batchStride: Int, headStride: Int, tokenStride: Int) {
            self.batchStride = batchStride
            self.headStride = headStride
            self.tokenStride = tokenStride
        }
    }

    /// Which keys each query may see.
    public enum Mask: Sendable {
        /// Query `t` sees keys `0...(offset + t)`: plain causal attention after `offset`
        /// cached tokens.
        case causal(offset: Int)
        /// An additive mask `[B, T, S]` (0 where allowed, -inf where not): any block
        /// structure (prepacking, set-based prompting, padding).
        case additive(Tensor)
    }

    /// Sizes of one attention call.
    public struct Shape: Sendable {
        /// Sequences B, query heads H, key/value heads KV (dividing H), queries T, keys S and head size D.
        public var batch: Int, heads: Int, keyValueHeads: Int, queries: Int, keys: Int, headSize: Int
        /// Creates the sizes of one attention call.
        public init(batch: Int, heads: Int, keyValueHeads: Int, queries: Int, keys: Int, headSize: Int) {
            (self.batch, self.heads, self.keyValueHeads, self.queries, self.keys, self.headSize) =
                (batch, heads, keyValueHeads, queries, keys, headSize)
        }
    }

    /// Computes `softmax(Q K^T * scale + mask) V` into `output` laid out `[B, T, H, D]`.
    ///
    /// - Parameter probabilities: if given, receives `P` `[B, H, T, S]` for backward.
    public static func forward(
        query: UnsafePointer<Float>, queryLayout: Layout,
        key: UnsafePointer<Float>, keyLayout: Layout,
        value: UnsafePointer<Float>, valueLayout: Layout,
        shape: Shape, scale: Float, mask: Mask,
        output: UnsafeMutablePointer<Float>, probabilities: UnsafeMutablePointer<Float>?
    ) throws {
        let (t, s, d) = (shape.queries, shape.keys, shape.headSize)
        try validate(shape: shape, mask: mask)
        let group = shape.heads / shape.keyValueHeads
        let additive = maskPointer(mask)
        // One unit of work per (sequence, key/value head): the heads of a group share K and V.
        let units = shape.batch * shape.keyValueHeads
        Parallelism.forEachChunk(count: units, costPerItem: group * t * s * d * 2) { range in
            let scratch = probabilities == nil ? TensorStorage(uninitializedCount: t * s) : nil
            for unit in range {
                let (b, kv) = (unit / shape.keyValueHeads, unit % shape.keyValueHeads)
                let k = key + b * keyLayout.batchStride + kv * keyLayout.headStride
                let v = value + b * valueLayout.batchStride + kv * valueLayout.headStride
                for h in (kv * group)..<((kv + 1) * group) {
                    let q = query + b * queryLayout.batchStride + h * queryLayout.headStride
                    let p = probabilities.map { $0 + (b * shape.heads + h) * t * s } ?? scratch!.pointer
                    let out = output + b * t * shape.heads * d + h * d
                    if t <= fewQueries {
                        // Decoding: a handful of queries. Scores are K q and outputs V^T p, two
                        // matrix-vector products per query; sgemm would pack operands every call.
                        for i in 0..<t {
                            BLAS.sgemv(transpose: false, m: s, n: d, alpha: scale, a: k, lda: keyLayout.tokenStride,
                                       x: q + i * queryLayout.tokenStride, incx: 1, beta: 0, y: p + i * s, incy: 1)
                        }
                        applyMaskAndSoftmax(p, rows: t, columns: s, mask: mask, additive: additive.map { $0 + b * t * s })
                        for i in 0..<t {
                            BLAS.sgemv(transpose: true, m: s, n: d, alpha: 1, a: v, lda: valueLayout.tokenStride,
                                       x: p + i * s, incx: 1, beta: 0, y: out + i * shape.heads * d, incy: 1)
                        }
                        continue
                    }
                    // S = Q K^T * scale  [T, S]
                    BLAS.sgemm(transposeA: false, transposeB: true, m: t, n: s, k: d, alpha: scale,
                               a: q, lda: queryLayout.tokenStride, b: k, ldb: keyLayout.tokenStride, beta: 0, c: p, ldc: s)
                    applyMaskAndSoftmax(p, rows: t, columns: s, mask: mask, additive: additive.map { $0 + b * t * s })
                    // O = P V  [T, D], written at stride H * D
                    BLAS.sgemm(transposeA: false, transposeB: false, m: t, n: d, k: s, alpha: 1,
                               a: p, lda: s, b: v, ldb: valueLayout.tokenStride, beta: 0, c: out, ldc: shape.heads * d)
                }
            }
        }
    }

    /// Queries per head below which attention uses dot products instead of sgemm.
    static let fewQueries = 4

    /// Gradients of ``forward``: accumulates `dQ`, `dK`, `dV` into buffers laid out like the
    /// inputs (they may be the three sections of one fused-QKV gradient).
    public static func backward(
        query: UnsafePointer<Float>, queryLayout: Layout,
        key: UnsafePointer<Float>, keyLayout: Layout,
        value: UnsafePointer<Float>, valueLayout: Layout,
        shape: Shape, scale: Float, probabilities: UnsafePointer<Float>,
        outputGradient: UnsafePointer<Float>,
        queryGradient: UnsafeMutablePointer<Float>, keyGradient: UnsafeMutablePointer<Float>,
        valueGradient: UnsafeMutablePointer<Float>
    ) {
        let (t, s, d) = (shape.queries, shape.keys, shape.headSize)
        let group = shape.heads / shape.keyValueHeads
        // Parallel over (sequence, key/value head): each unit alone writes its dK and dV.
        let units = shape.batch * shape.keyValueHeads
        Parallelism.forEachChunk(count: units, costPerItem: group * t * s * d * 8) { range in
            let scores = TensorStorage(uninitializedCount: t * s)
            let ds = scores.pointer
            for unit in range {
                let (b, kv) = (unit / shape.keyValueHeads, unit % shape.keyValueHeads)
                for h in (kv * group)..<((kv + 1) * group) {
                    let qOffset = b * queryLayout.batchStride + h * queryLayout.headStride
                    let kOffset = b * keyLayout.batchStride + kv * keyLayout.headStride
                    let vOffset = b * valueLayout.batchStride + kv * valueLayout.headStride
                    let p = probabilities + (b * shape.heads + h) * t * s
                    let dO = outputGradient + b * t * shape.heads * d + h * d
                    let dOStride = shape.heads * d
                    // dV += P^T dO  [S, D]
                    BLAS.sgemm(transposeA: true, transposeB: false, m: s, n: d, k: t, alpha: 1,
                               a: p, lda: s, b: dO, ldb: dOStride, beta: 1,
                               c: valueGradient + vOffset, ldc: valueLayout.tokenStride)
                    // dP = dO V^T  [T, S]
                    BLAS.sgemm(transposeA: false, transposeB: true, m: t, n: s, k: d, alpha: 1,
                               a: dO, lda: dOStride, b: value + vOffset, ldb: valueLayout.tokenStride, beta: 0, c: ds, ldc: s)
                    // dS = P * (dP - rowsum(dP * P)) * scale (the softmax backward, scaled)
                    for row in 0..<t {
                        let pr = p + row * s, gr = ds + row * s
                        let dot = dotProduct(pr, gr, s)
                        let shift = SIMD8<Float>(repeating: dot), factor = SIMD8<Float>(repeating: scale)
                        var j = 0
                        while j + 8 <= s {
                            VectorMath.store(VectorMath.load(pr + j) * (VectorMath.load(gr + j) - shift) * factor, gr + j)
                            j += 8
                        }
                        while j < s { gr[j] = pr[j] * (gr[j] - dot) * scale; j += 1 }
                    }
                    // dQ += dS K  [T, D]
                    BLAS.sgemm(transposeA: false, transposeB: false, m: t, n: d, k: s, alpha: 1,
                               a: ds, lda: s, b: key + kOffset, ldb: keyLayout.tokenStride, beta: 1,
                               c: queryGradient + qOffset, ldc: queryLayout.tokenStride)
                    // dK += dS^T Q  [S, D]
                    BLAS.sgemm(transposeA: true, transposeB: false, m: s, n: d, k: t, alpha: 1,
                               a: ds, lda: s, b: query + qOffset, ldb: queryLayout.tokenStride, beta: 1,
                               c: keyGradient + kOffset, ldc: keyLayout.tokenStride)
                }
            }
        }
    }

    static func validate(shape: Shape, mask: Mask) throws {
        guard shape.keyValueHeads > 0, shape.heads % shape.keyValueHeads == 0 else {
            throw TensorError.invalidArgument(operation: "attention", detail: "\(shape.heads) query heads cannot share \(shape.keyValueHeads) key/value heads evenly")
        }
        switch mask {
        case .causal(let offset):
            guard offset >= 0, offset + shape.queries <= shape.keys else {
                throw TensorError.invalidArgument(operation: "attention", detail: "causal offset \(offset) with \(shape.queries) queries needs at least \(offset + shape.queries) keys, got \(shape.keys)")
            }
        case .additive(let tensor):
            guard tensor.shape == [shape.batch, shape.queries, shape.keys] else {
                throw TensorError.shapeMismatch(operation: "attention mask", lhs: tensor.shape, rhs: [shape.batch, shape.queries, shape.keys])
            }
        }
    }

    static func maskPointer(_ mask: Mask) -> UnsafePointer<Float>? {
        if case .additive(let tensor) = mask { return UnsafePointer(tensor.contiguous().base) }
        return nil
    }

    /// Masks one head's scores and turns each row into probabilities, in place.
    @inline(__always)
    static func applyMaskAndSoftmax(_ scores: UnsafeMutablePointer<Float>, rows: Int, columns: Int, mask: Mask, additive: UnsafePointer<Float>?) {
        for row in 0..<rows {
            let r = scores + row * columns
            switch mask {
            case .causal(let offset):
                let visible = offset + row + 1
                if visible < columns { (r + visible).update(repeating: -.infinity, count: columns - visible) }
            case .additive:
                let m = additive! + row * columns
                var j = 0
                while j + 8 <= columns { VectorMath.store(VectorMath.load(r + j) + VectorMath.load(m + j), r + j); j += 8 }
                while j < columns { r[j] += m[j]; j += 1 }
            }
            Tensor.softmaxRow(r, r, columns, logarithm: false)
        }
    }
}
