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

extension Variable {
    /// A fully connected layer `y = x W^T + b`, `W` `[out, in]`, `x` `[..., in]`.
    ///
    /// One fused op rather than transpose + matmul + add: backward computes
    /// `dW = g^T x` directly in `W`'s layout (no transposed copy) with the batch folded into
    /// one GEMM, and `db` as a column sum.
    public func linear(weight: Variable, bias: Variable?) throws -> Variable {
        let x = self
        guard let inputSize = x.shape.last, weight.value.rank == 2, weight.shape[1] == inputSize else {
            throw TensorError.shapeMismatch(operation: "linear", lhs: x.shape, rhs: weight.shape)
        }
        let outputSize = weight.shape[0]
        if let bias, bias.shape != [outputSize] {
            throw TensorError.shapeMismatch(operation: "linear bias", lhs: weight.shape, rhs: bias.shape)
        }
        let input = x.value.contiguous()
        let rows = input.count / Swift.max(inputSize, 1)
        let flat = try input.reshaped([rows, inputSize])
        var output = try flat.matmul(weight.value.transposed(0, 1))
        if let bias { output = try output + bias.value }
        let outputShape = Array(x.shape.dropLast()) + [outputSize]
        let inputs = [x, weight] + (bias.map { [$0] } ?? [])
        return Tape.record(try output.reshaped(outputShape), inputs: inputs) { g in
            let g2 = try g.contiguous().reshaped([rows, outputSize])
            let dx = x.requiresGradient ? try g2.matmul(weight.value).reshaped(x.shape) : nil
            let dw = weight.requiresGradient ? try g2.transposed(0, 1).matmul(flat) : nil
            let db = bias?.requiresGradient == true ? try g2.sum(axis: 0) : nil
            return [dx, dw] + (bias != nil ? [db] : [])
        }
    }
}
