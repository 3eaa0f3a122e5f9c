internal import CBLAS

/// The only door to OpenBLAS. Every other file calls these wrappers.
///
/// All matrices are row-major. `transposeA`/`transposeB` tell BLAS to read an operand
/// transposed, so transposed views reach BLAS without being copied.
enum BLAS {
    /// `C = alpha * op(A) * op(B) + beta * C`, with op(A) [M, K], op(B) [K, N], C [M, N].
    @inline(__always)
    static func sgemm(
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
    /// shared/bench/README.md), so batch-1 products are routed here.
    @inline(__always)
    static func sgemv(
        transpose: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, incx: Int, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int
    ) {
        cblas_sgemv(
            CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha,
            a, Int32(lda), x, Int32(incx), beta, y, Int32(incy))
    }

    /// Sets the number of OpenBLAS threads.
    static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }

    /// The number of threads OpenBLAS will use.
    static var threadCount: Int { Int(openblas_get_num_threads()) }
}
