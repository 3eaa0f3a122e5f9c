/// `Y = X W^T` for few rows of `X`: the product of decoding, where M is the batch.
///
/// With `W` stored `[N, K]` (a linear layer's `[out, in]`), every output is the dot product
/// of two contiguous rows. OpenBLAS's sgemm packs all of `W` on every call, which for
/// M <= 32 costs about as much as the arithmetic (measured: 30% of a batch-16 decoding
/// step in `sgemm_incopy`). This kernel reads each weight row once for four input rows at a
/// time, keeping a 4x4 block of accumulators in registers, and splits N over the workers.
enum SmallBatchProduct {
    typealias V = SIMD8<Float>

    /// Largest M routed here.
    static let maximumRows = 32

    /// `y[m, n] = sum_k x[m, k] * w[n, k]` (rows of x, y and w at strides ldx, ldy, ldw).
    static func multiply(
        x: UnsafePointer<Float>, ldx: Int, w: UnsafePointer<Float>, ldw: Int,
        y: UnsafeMutablePointer<Float>, ldy: Int, m: Int, n: Int, k: Int
    ) {
        let blocks = (n + 3) / 4
        Parallelism.forEachChunk(count: blocks, costPerItem: 8 * m * k) { range in
            let start = range.lowerBound * 4, end = Swift.min(n, range.upperBound * 4)
            var row = 0
            while row + 4 <= m {
                rows4(x + row * ldx, ldx, w, ldw, y + row * ldy, ldy, start, end, k)
                row += 4
            }
            while row < m {
                rows1(x + row * ldx, w, ldw, y + row * ldy, start, end, k)
                row += 1
            }
        }
    }

    /// One block of outputs on the calling thread: `y[m, 0..<n] = x w^T` (no splitting).
    @inline(__always)
    static func multiplyBlock(
        x: UnsafePointer<Float>, ldx: Int, w: UnsafePointer<Float>, ldw: Int,
        y: UnsafeMutablePointer<Float>, ldy: Int, m: Int, n: Int, k: Int
    ) {
        var row = 0
        while row + 4 <= m {
            rows4(x + row * ldx, ldx, w, ldw, y + row * ldy, ldy, 0, n, k)
            row += 4
        }
        while row < m {
            rows1(x + row * ldx, w, ldw, y + row * ldy, 0, n, k)
            row += 1
        }
    }

    /// Four input rows against weight rows `start..<end`.
    @inline(__always)
    static func rows4(
        _ x: UnsafePointer<Float>, _ ldx: Int, _ w: UnsafePointer<Float>, _ ldw: Int,
        _ y: UnsafeMutablePointer<Float>, _ ldy: Int, _ start: Int, _ end: Int, _ k: Int
    ) {
        let x0 = x, x1 = x + ldx, x2 = x + 2 * ldx, x3 = x + 3 * ldx
        var column = start
        while column + 4 <= end {
            let w0 = w + column * ldw, w1 = w0 + ldw, w2 = w1 + ldw, w3 = w2 + ldw
            var a00 = V(), a01 = V(), a02 = V(), a03 = V()
            var a10 = V(), a11 = V(), a12 = V(), a13 = V()
            var a20 = V(), a21 = V(), a22 = V(), a23 = V()
            var a30 = V(), a31 = V(), a32 = V(), a33 = V()
            var j = 0
            while j + 8 <= k {
                let b0 = VectorMath.load(w0 + j), b1 = VectorMath.load(w1 + j), b2 = VectorMath.load(w2 + j), b3 = VectorMath.load(w3 + j)
                var a = VectorMath.load(x0 + j)
                a00.addProduct(a, b0); a01.addProduct(a, b1); a02.addProduct(a, b2); a03.addProduct(a, b3)
                a = VectorMath.load(x1 + j)
                a10.addProduct(a, b0); a11.addProduct(a, b1); a12.addProduct(a, b2); a13.addProduct(a, b3)
                a = VectorMath.load(x2 + j)
                a20.addProduct(a, b0); a21.addProduct(a, b1); a22.addProduct(a, b2); a23.addProduct(a, b3)
                a = VectorMath.load(x3 + j)
                a30.addProduct(a, b0); a31.addProduct(a, b1); a32.addProduct(a, b2); a33.addProduct(a, b3)
                j += 8
            }
            // Horizontal sums, then the scalar tail of K (k is a multiple of 8 in practice).
            let y0 = y, y1 = y + ldy, y2 = y + 2 * ldy, y3 = y + 3 * ldy
            y0[column] = a00.sum(); y0[column + 1] = a01.sum(); y0[column + 2] = a02.sum(); y0[column + 3] = a03.sum()
            y1[column] = a10.sum(); y1[column + 1] = a11.sum(); y1[column + 2] = a12.sum(); y1[column + 3] = a13.sum()
            y2[column] = a20.sum(); y2[column + 1] = a21.sum(); y2[column + 2] = a22.sum(); y2[column + 3] = a23.sum()
            y3[column] = a30.sum(); y3[column + 1] = a31.sum(); y3[column + 2] = a32.sum(); y3[column + 3] = a33.sum()
            while j < k {
                for r in 0..<4 {
                    let xv = x[r * ldx + j], out = y + r * ldy + column
                    out[0] += xv * w0[j]; out[1] += xv * w1[j]; out[2] += xv * w2[j]; out[3] += xv * w3[j]
                }
                j += 1
            }
            column += 4
        }
        while column < end {
            for r in 0..<4 { y[r * ldy + column] = dotProduct(x + r * ldx, w + column * ldw, k) }
            column += 1
        }
    }

    /// One input row against weight rows `start..<end`.
    @inline(__always)
    static func rows1(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ ldw: Int,
        _ y: UnsafeMutablePointer<Float>, _ start: Int, _ end: Int, _ k: Int
    ) {
        var column = start
        while column + 4 <= end {
            let w0 = w + column * ldw, w1 = w0 + ldw, w2 = w1 + ldw, w3 = w2 + ldw
            var a0 = V(), a1 = V(), a2 = V(), a3 = V()
            var j = 0
            while j + 8 <= k {
                let a = VectorMath.load(x + j)
                a0.addProduct(a, VectorMath.load(w0 + j)); a1.addProduct(a, VectorMath.load(w1 + j))
                a2.addProduct(a, VectorMath.load(w2 + j)); a3.addProduct(a, VectorMath.load(w3 + j))
                j += 8
            }
            var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum()
            while j < k { s0 += x[j] * w0[j]; s1 += x[j] * w1[j]; s2 += x[j] * w2[j]; s3 += x[j] * w3[j]; j += 1 }
            y[column] = s0; y[column + 1] = s1; y[column + 2] = s2; y[column + 3] = s3
            column += 4
        }
        while column < end { y[column] = dotProduct(x, w + column * ldw, k); column += 1 }
    }
}
