import Tensors

extension Variable {
    /// Matrix product over the last two axes with broadcast batch axes:
    /// `[..., M, K] x [..., K, N] -> [..., M, N]`.
    ///
    /// Backward: `dA = dC B^T`, `dB = A^T dC`, both passed to BLAS as transposed views and
    /// summed over broadcast batch axes.
    public func matmul(_ other: Variable) throws -> Variable {
        let a = self, b = other
        let value = try a.value.matmul(b.value)
        return Tape.record(value, inputs: [a, b]) { g in
            var gradA: Tensor?, gradB: Tensor?
            if a.requiresGradient {
                gradA = try g.matmul(b.value.transposed(-1, -2))
                if gradA!.shape != a.shape { gradA = try gradA!.reduced(toShape: a.shape) }
            }
            if b.requiresGradient {
                if b.value.rank == 2, a.value.rank > 2 {
                    // Fold the batch into one [K, B*M] x [B*M, N] product.
                    let k = a.shape[a.shape.count - 1], n = b.shape[1]
                    let a2 = try a.value.reshaped([-1, k]), g2 = try g.reshaped([-1, n])
                    gradB = try a2.transposed(0, 1).matmul(g2)
                } else {
                    gradB = try a.value.transposed(-1, -2).matmul(g)
                    if gradB!.shape != b.shape { gradB = try gradB!.reduced(toShape: b.shape) }
                }
            }
            return [gradA, gradB]
        }
    }
}
