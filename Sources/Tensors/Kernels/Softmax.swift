/// Softmax and log-softmax over the last axis, forward and backward side by side.
///
/// Forward saves its output; backward needs only that (llm.c's softmax pattern):
/// `dx = y * (dy - sum(dy * y))` and, for log-softmax, `dx = dy - exp(y) * sum(dy)`.
extension Tensor {
    /// Softmax over the last axis.
    public func softmax() -> Tensor { rowSoftmax(logarithm: false) }

    /// Log-softmax over the last axis (numerically stable at any logit magnitude).
    public func logSoftmax() -> Tensor { rowSoftmax(logarithm: true) }

    private func rowSoftmax(logarithm: Bool) -> Tensor {
        let source = contiguous()
        let result = Tensor(uninitializedShape: shape)
        let width = shape.last ?? 1
        guard count > 0 else { return result }
        let rows = count / width, x = source.base, y = result.base
        Parallelism.forEachChunk(count: rows, costPerItem: width * 4) { range in
            for row in range { Tensor.softmaxRow(x + row * width, y + row * width, width, logarithm: logarithm) }
        }
        return result
    }

    /// Gradient of softmax: `dx = y * (dy - <dy, y>)` per row, given the forward output `y`.
    public static func softmaxBackward(output: Tensor, outputGradient: Tensor) throws -> Tensor {
        guard output.shape == outputGradient.shape else {
            throw TensorError.shapeMismatch(operation: "softmax backward", lhs: output.shape, rhs: outputGradient.shape)
        }
        let y = output.contiguous(), dy = outputGradient.contiguous()
        let result = Tensor(uninitializedShape: output.shape)
        let width = output.shape.last ?? 1
        guard output.count > 0 else { return result }
        let rows = output.count / width
        let yp = y.base, dyp = dy.base, dx = result.base
        Parallelism.forEachChunk(count: rows, costPerItem: width * 3) { range in
            for row in range {
                let yr = yp + row * width, gr = dyp + row * width, out = dx + row * width
                let dot = dotProduct(yr, gr, width)
                var j = 0
                while j + 8 <= width {
                    let yv = VectorMath.load(yr + j), gv = VectorMath.load(gr + j)
                    VectorMath.store(yv * (gv - dot), out + j)
                    j += 8
                }
                while j < width { out[j] = yr[j] * (gr[j] - dot); j += 1 }
            }
        }
        return result
    }

    /// Gradient of log-softmax: `dx = dy - softmax * sum(dy)` per row, given the forward output.
    public static func logSoftmaxBackward(output: Tensor, outputGradient: Tensor) throws -> Tensor {
        guard output.shape == outputGradient.shape else {
            throw TensorError.shapeMismatch(operation: "log-softmax backward", lhs: output.shape, rhs: outputGradient.shape)
        }
        let y = output.contiguous(), dy = outputGradient.contiguous()
        let result = Tensor(uninitializedShape: output.shape)
        let width = output.shape.last ?? 1
        guard output.count > 0 else { return result }
        let rows = output.count / width
        let yp = y.base, dyp = dy.base, dx = result.base
        Parallelism.forEachChunk(count: rows, costPerItem: width * 4) { range in
            for row in range {
                let yr = yp + row * width, gr = dyp + row * width, out = dx + row * width
                let total = VectorMath.sum(gr, width)
                var j = 0
                while j + 8 <= width {
                    let p = VectorMath.exp(VectorMath.load(yr + j))
                    VectorMath.store(VectorMath.load(gr + j) - p * total, out + j)
                    j += 8
                }
                while j < width { out[j] = gr[j] - VectorMath.exp(yr[j]) * total; j += 1 }
            }
        }
        return result
    }

    /// Softmax (or log-softmax) of one row of `width` values.
    @inline(__always)
    static func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ width: Int, logarithm: Bool) {
        var maximum = VectorMath.maximum(x, width)
        if maximum == -.infinity { maximum = 0 }  // an all-masked row stays finite
        let shift = SIMD8<Float>(repeating: maximum)
        var vectorTotal = SIMD8<Float>(repeating: 0)
        var j = 0
        while j + 8 <= width {
            let e = VectorMath.expNonPositive(VectorMath.load(x + j) - shift)
            if !logarithm { VectorMath.store(e, y + j) }
            vectorTotal += e
            j += 8
        }
        var total = vectorTotal.sum()
        while j < width {
            let e = VectorMath.exp(x[j] - maximum)
            if !logarithm { y[j] = e }
            total += e
            j += 1
        }
        if logarithm {
            // (x - max) first: adding log(total) to a large max would round it away.
            let logTotal = SIMD8<Float>(repeating: logf(total))
            j = 0
            while j + 8 <= width { VectorMath.store((VectorMath.load(x + j) - shift) - logTotal, y + j); j += 8 }
            while j < width { y[j] = (x[j] - maximum) - logTotal[0]; j += 1 }
        } else {
            let scale = SIMD8<Float>(repeating: total > 0 ? 1 / total : 0)
            j = 0
            while j + 8 <= width { VectorMath.store(VectorMath.load(y + j) * scale, y + j); j += 8 }
            while j < width { y[j] *= scale[0]; j += 1 }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
