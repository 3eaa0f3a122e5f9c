/// Matrix products through `cblas_sgemm`.
extension Tensor {
    /// How a 2-D view can be handed to BLAS without copying.
    struct MatrixOperand {
        let tensor: Tensor
        let transposed: Bool
        let leadingDimension: Int
    }

    /// Returns the operand ready for BLAS: row-major as is, a transposed view as a
    /// BLAS transpose flag, anything else copied to contiguous.
    static func matrixOperand(_ tensor: Tensor) -> MatrixOperand {
        let rows = tensor.shape[tensor.rank - 2], columns = tensor.shape[tensor.rank - 1]
        let rowStride = tensor.strides[tensor.rank - 2], columnStride = tensor.strides[tensor.rank - 1]
        if columnStride == 1 || columns == 1, rowStride >= Swift.max(columns, 1) || rows == 1 {
            return MatrixOperand(tensor: tensor, transposed: false, leadingDimension: Swift.max(rows == 1 ? columns : rowStride, 1))
        }
        if rowStride == 1 || rows == 1, columnStride >= Swift.max(rows, 1) || columns == 1 {
            return MatrixOperand(tensor: tensor, transposed: true, leadingDimension: Swift.max(columns == 1 ? rows : columnStride, 1))
        }
        let dense = tensor.contiguous()
        return MatrixOperand(tensor: dense, transposed: false, leadingDimension: Swift.max(columns, 1))
    }

    /// Matrix product over the last two axes, broadcasting the leading (batch) axes.
    ///
    /// `[..., M, K] x [..., K, N] -> [..., M, N]`. Transposed views are passed to BLAS as
    /// transpose flags. A batched left operand against a 2-D right operand becomes a single
    /// sgemm with the batch folded into M.
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard rank >= 2, other.rank >= 2, shape[rank - 1] == other.shape[other.rank - 2] else {
            throw TensorError.shapeMismatch(operation: "matmul", lhs: shape, rhs: other.shape)
        }
        let m = shape[rank - 2], k = shape[rank - 1], n = other.shape[other.rank - 1]
        let batchA = Array(shape.dropLast(2)), batchB = Array(other.shape.dropLast(2))
        let batch = try Tensor.broadcastShape(batchA, batchB, operation: "matmul")
        let batchCount = batch.reduce(1, *)
        if k == 0 || batchCount == 0 || m == 0 || n == 0 { return Tensor.zeros(batch + [m, n]) }
        // BLAS writes every element (beta = 0), so the output needs no zero fill.
        let result = Tensor(uninitializedShape: batch + [m, n])

        // Fold [B.., M, K] x [K, N] into one [B*M, K] x [K, N] product when rows are dense.
        if other.rank == 2, rank > 2 {
            let dense = contiguous()
            let folded = Tensor(storage: dense.storage, shape: [batchCount * m, k], strides: [k, 1], offset: dense.offset)
            Tensor.gemm(folded, other, into: result.base, ldc: n)
            return result
        }
        let left = try broadcast(to: batch + [m, k]), right = try other.broadcast(to: batch + [k, n])
        let leftBatchStrides = Array(left.strides.dropLast(2)), rightBatchStrides = Array(right.strides.dropLast(2))
        var index = [Int](repeating: 0, count: batch.count)
        for b in 0..<batchCount {
            var leftOffset = left.offset, rightOffset = right.offset
            for axis in 0..<batch.count {
                leftOffset += index[axis] * leftBatchStrides[axis]
                rightOffset += index[axis] * rightBatchStrides[axis]
            }
            let a = Tensor(storage: left.storage, shape: [m, k], strides: Array(left.strides.suffix(2)), offset: leftOffset)
            let bm = Tensor(storage: right.storage, shape: [k, n], strides: Array(right.strides.suffix(2)), offset: rightOffset)
            Tensor.gemm(a, bm, into: result.base + b * m * n, ldc: n)
            var axis = batch.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < batch[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }

    /// `C (+)= A B` for 2-D operands, with `C` dense rows of stride `ldc`.
    static func gemm(_ a: Tensor, _ b: Tensor, into c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false) {
        let m = a.shape[0], k = a.shape[1], n = b.shape[1]
        let left = matrixOperand(a), right = matrixOperand(b)
        let beta: Float = accumulate ? 1 : 0
        if !accumulate, m <= SmallBatchProduct.maximumRows, right.transposed, !left.transposed,
           left.tensor.strides[1] == 1 || k == 1 {
            // Few rows against a [N, K] weight matrix: dot products of contiguous rows.
            SmallBatchProduct.multiply(x: left.tensor.base, ldx: left.leadingDimension, w: right.tensor.base,
                                       ldw: right.leadingDimension, y: c, ldy: ldc, m: m, n: n, k: k)
            return
        }
        if m == 1 {
            // Row vector times matrix: sgemv on B^T is several times faster than sgemm with M = 1.
            let x = left.tensor.base
            let incx = k == 1 ? 1 : left.tensor.strides[1]
            BLAS.sgemv(transpose: !right.transposed, m: right.transposed ? n : k, n: right.transposed ? k : n,
                       alpha: 1, a: right.tensor.base, lda: right.leadingDimension,
                       x: x, incx: incx, beta: beta, y: c, incy: 1)
            return
        }
        BLAS.sgemm(transposeA: left.transposed, transposeB: right.transposed, m: m, n: n, k: k,
                   alpha: 1, a: left.tensor.base, lda: left.leadingDimension,
                   b: right.tensor.base, ldb: right.leadingDimension,
                   beta: beta, c: c, ldc: ldc)
    }

    /// `C = alpha op(A) op(B) + beta C` with OpenBLAS's own threads (the benchmark's "raw
    /// sgemm" reference; the Tensor API splits products over the project's workers instead).
    public static func threadedSgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        BLAS.threadedSgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                           a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, threads: Parallelism.threadCount)
    }

    /// `C = alpha op(A) op(B) + beta C` on raw row-major buffers (for kernels and benchmarks).
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                   a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}
