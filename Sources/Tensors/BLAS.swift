internal import CBLAS

/// The only door to OpenBLAS. Every other file calls these wrappers.
///
/// All matrices are row-major. `transposeA`/`transposeB` tell BLAS to read an operand
/// transposed, so transposed views reach BLAS without being copied.
///
/// OpenBLAS itself runs on one thread; large products are split into row (or column) blocks
/// that the project's workers hand to it in parallel. OpenBLAS's own pool spins in
/// `sched_yield` between calls, which on two cores steals a core from every kernel that
/// runs after a GEMM (measured: about 10% of a training step); our workers block instead.
enum BLAS {
    /// Products below this many multiply-adds stay on the calling thread.
    static let parallelThreshold = 1 << 18

    /// `C = alpha * op(A) * op(B) + beta * C`, with op(A) [M, K], op(B) [K, N], C [M, N],
    /// split over the workers when large.
    @inline(__always)
    static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let threads = Parallelism.threadCount
        guard threads > 1, m * n * k >= parallelThreshold, !Parallelism.isWorker else {
            serialSgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                        a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        // Split the longer output side into one block per worker (aligned to 16 for the
        // micro-kernel's panels).
        let splitRows = m >= n
        let extent = splitRows ? m : n
        let blocks = Swift.min(threads, Swift.max(1, extent / 16))
        let step = ((extent + blocks - 1) / blocks + 15) / 16 * 16
        Parallelism.forEachChunk(count: (extent + step - 1) / step, costPerItem: Parallelism.minimumParallelWork) { range in
            for block in range {
                let start = block * step, size = Swift.min(step, extent - start)
                if size <= 0 { continue }
                if splitRows {
                    serialSgemm(transposeA: transposeA, transposeB: transposeB, m: size, n: n, k: k, alpha: alpha,
                                a: transposeA ? a + start : a + start * lda, lda: lda, b: b, ldb: ldb,
                                beta: beta, c: c + start * ldc, ldc: ldc)
                } else {
                    serialSgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: size, k: k, alpha: alpha,
                                a: a, lda: lda, b: transposeB ? b + start * ldb : b + start, ldb: ldb,
                                beta: beta, c: c + start, ldc: ldc)
                }
            }
        }
    }

    /// One OpenBLAS call on the current thread.
    @inline(__always)
    static func serialSgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
            beta, c, Int32(ldc))
    }

    /// `y = alpha * op(A) * x + beta * y` with A [M, N] row-major.
    ///
    /// OpenBLAS's sgemm with M = 1 is several times slower than sgemv (see
    /// Benchmarks/peers/README.md), so batch-1 products are routed here. Large products are
    /// split by output element over the workers.
    @inline(__always)
    static func sgemv(
        transpose: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, incx: Int, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int
    ) {
        let threads = Parallelism.threadCount
        let outputs = transpose ? n : m
        guard threads > 1, m * n >= parallelThreshold / 4, outputs >= 64, !Parallelism.isWorker else {
            serialSgemv(transpose: transpose, m: m, n: n, alpha: alpha, a: a, lda: lda, x: x, incx: incx, beta: beta, y: y, incy: incy)
            return
        }
        let step = ((outputs + threads - 1) / threads + 15) / 16 * 16
        Parallelism.forEachChunk(count: (outputs + step - 1) / step, costPerItem: Parallelism.minimumParallelWork) { range in
            for block in range {
                let start = block * step, size = Swift.min(step, outputs - start)
                if size <= 0 { continue }
                if transpose {
                    // y[start..] = A[:, start..]^T x
                    serialSgemv(transpose: true, m: m, n: size, alpha: alpha, a: a + start, lda: lda, x: x, incx: incx,
                                beta: beta, y: y + start * incy, incy: incy)
                } else {
                    serialSgemv(transpose: false, m: size, n: n, alpha: alpha, a: a + start * lda, lda: lda, x: x, incx: incx,
                                beta: beta, y: y + start * incy, incy: incy)
                }
            }
        }
    }

    @inline(__always)
    static func serialSgemv(
        transpose: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, incx: Int, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int
    ) {
        cblas_sgemv(
            CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha,
            a, Int32(lda), x, Int32(incx), beta, y, Int32(incy))
    }

    /// One OpenBLAS call with OpenBLAS's own threading (for the kernel benchmark's "raw
    /// sgemm" column): its pool is enabled for the call and switched off again.
    static func threadedSgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int
    ) {
        openblas_set_num_threads(Int32(threads))
        serialSgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                    b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        openblas_set_num_threads(1)
    }

    /// Sets the number of OpenBLAS threads.
    static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }
}
