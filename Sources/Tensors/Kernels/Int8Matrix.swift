/// A weight matrix `[N, K]` stored as int8 with one float scale per row (output channel):
/// `W[n, k] ≈ scale[n] * q[n, k]`, `scale[n] = max_k |W[n, k]| / 127` (symmetric, per-channel
/// weight-only quantisation as in LLM.int8's baseline, Dettmers et al. 2022, section 2).
///
/// Products dequantise four rows at a time into a small float buffer that stays in L1 and
/// run the same register-blocked kernel as float decoding, so decoding reads a quarter of the
/// bytes per weight; prefills (many rows) dequantise the matrix once and use sgemm.
public final class Int8Matrix: @unchecked Sendable {
    /// Row count N (output channels).
    public let rows: Int
    /// Column count K (input features).
    public let columns: Int
    let values: UnsafeMutablePointer<Int8>
    /// Per-row dequantisation scales `[N]`: `max_k |W[n, k]| / 127`, or 1 for an all-zero row.
    public let scales: [Float]

    /// Quantises a float `[N, K]` matrix.
    public init(_ matrix: Tensor) throws {
        guard matrix.rank == 2 else { throw TensorError.invalidShape(operation: "int8 quantisation", shape: matrix.shape, detail: "needs a matrix") }
        let dense = matrix.contiguous()
        rows = matrix.shape[0]
        columns = matrix.shape[1]
        values = .allocate(capacity: Swift.max(rows * columns, 1))
        var scales = [Float](repeating: 0, count: rows)
        let w = dense.base
        for n in 0..<rows {
            var peak: Float = 0
            for k in 0..<columns { peak = Swift.max(peak, abs(w[n * columns + k])) }
            let scale = peak > 0 ? peak / 127 : 1
            scales[n] = scale
            for k in 0..<columns {
                values[n * columns + k] = Int8(Swift.max(-127, Swift.min(127, (w[n * columns + k] / scale).rounded())))
            }
        }
        self.scales = scales
    }

    deinit { values.deallocate() }

    /// Bytes held (values and scales).
    public var byteCount: Int { rows * columns + rows * MemoryLayout<Float>.stride }

    /// The dequantised matrix (for checks and for large products).
    public func dequantized() -> Tensor {
        let result = Tensor(uninitializedShape: [rows, columns])
        for n in 0..<rows { dequantize(row: n, into: result.base + n * columns) }
        return result
    }

    @inline(__always)
    func dequantize(row n: Int, into destination: UnsafeMutablePointer<Float>) {
        let source = values + n * columns, scale = scales[n]
        // A plain loop: the compiler turns it into vector converts and multiplies.
        for k in 0..<columns { destination[k] = Float(source[k]) * scale }
    }

    /// `x W^T` for `x` `[..., K]`: `[..., N]`.
    public func multiply(_ x: Tensor) throws -> Tensor {
        guard let k = x.shape.last, k == columns else {
            throw TensorError.shapeMismatch(operation: "int8 matmul", lhs: x.shape, rhs: [rows, columns])
        }
        let input = x.contiguous()
        let m = input.count / Swift.max(columns, 1)
        let result = Tensor(uninitializedShape: Array(x.shape.dropLast()) + [rows])
        if m > SmallBatchProduct.maximumRows {
            let w = dequantized()
            BLAS.sgemm(transposeA: false, transposeB: true, m: m, n: rows, k: columns, alpha: 1, a: input.base, lda: columns,
                       b: w.base, ldb: columns, beta: 0, c: result.base, ldc: rows)
            return result
        }
        let blocks = (rows + 3) / 4
        let xp = input.base, yp = result.base
        Parallelism.forEachChunk(count: blocks, costPerItem: 8 * m * columns) { range in
            let scratch = TensorStorage(uninitializedCount: 4 * columns)
            for block in range {
                let start = block * 4, count = Swift.min(4, rows - start)
                for r in 0..<count { dequantize(row: start + r, into: scratch.pointer + r * columns) }
                // The dequantised rows act as a [count, K] weight block for outputs start..<start+count.
                SmallBatchProduct.multiplyBlock(x: xp, ldx: columns, w: scratch.pointer, ldw: columns,
                                                y: yp + start, ldy: rows, m: m, n: count, k: columns)
            }
        }
        return result
    }
}
