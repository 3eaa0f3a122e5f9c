/// Layer normalisation and RMS normalisation over the last axis, forward and backward.
///
/// Ba et al. 2016 ("Layer Normalization") and Zhang & Sennrich 2019 ("Root Mean Square Layer
/// Normalization"). The forward pass saves the per-row statistics that the backward pass
/// needs, as llm.c's `layernorm_forward`/`layernorm_backward` do.
extension Tensor {
    /// Result of a normalisation forward pass: the output and the saved per-row statistics.
    public struct NormalizationResult: Sendable {
        /// The normalised, scaled and shifted output, same shape as the input.
        public let output: Tensor
        /// Per-row mean (layer norm only; zeros for RMS norm). [N]
        public let mean: Tensor
        /// Per-row reciprocal standard deviation (or reciprocal RMS). [N]
        public let reciprocalStandardDeviation: Tensor
    }

    /// Gradients of a normalisation with respect to its input and parameters.
    public struct NormalizationGradients: Sendable {
        /// Gradient with respect to the input, same shape as the input.
        public let input: Tensor
        /// Gradient with respect to the weight `[C]`.
        public let weight: Tensor
        /// Gradient with respect to the bias `[C]`, or `nil` when there is no bias.
        public let bias: Tensor?
    }

    /// `y = (x - mean) / sqrt(var + eps) * weight + bias` over the last axis (biased variance).
    public func layerNorm(weight: Tensor, bias: Tensor?, epsilon: Float) throws -> NormalizationResult {
        let width = try checkNormalizationShapes("layer norm", weight: weight, bias: bias)
        let x = contiguous(), w = weight.contiguous(), b = bias?.contiguous()
        let rows = count / Swift.max(width, 1)
        let output = Tensor(uninitializedShape: shape)
        let means = Tensor(uninitializedShape: [rows]), rstds = Tensor(uninitializedShape: [rows])
        let xp = x.base, wp = w.base, bp = b?.base, yp = output.base, mp = means.base, rp = rstds.base
        Parallelism.forEachChunk(count: rows, costPerItem: width * 3) { range in
            for row in range {
                let xr = xp + row * width, yr = yp + row * width
                let mean = VectorMath.sum(xr, width) / Float(width)
                let variance = VectorMath.squaredDeviation(xr, width, mean: mean) / Float(width)
                let rstd = 1 / (variance + epsilon).squareRoot()
                Tensor.normalizeRow(xr, yr, width, mean: mean, rstd: rstd, weight: wp, bias: bp)
                mp[row] = mean
                rp[row] = rstd
            }
        }
        return NormalizationResult(output: output, mean: means, reciprocalStandardDeviation: rstds)
    }

    /// Backward pass of ``layerNorm(weight:bias:epsilon:)``.
    ///
    /// With `n = (x - mean) * rstd` and `g = dy * weight`:
    /// `dx = rstd * (g - mean(g) - n * mean(g * n))`, `dweight = sum(dy * n)`, `dbias = sum(dy)`.
    public static func layerNormBackward(
        input: Tensor, weight: Tensor, hasBias: Bool, saved: NormalizationResult, outputGradient: Tensor
    ) throws -> NormalizationGradients {
        try normalizationBackward(input: input, weight: weight, hasBias: hasBias, saved: saved,
                                  outputGradient: outputGradient, centered: true)
    }

    /// `y = x / sqrt(mean(x^2) + eps) * weight` over the last axis.
    public func rmsNorm(weight: Tensor, epsilon: Float) throws -> NormalizationResult {
        let width = try checkNormalizationShapes("RMS norm", weight: weight, bias: nil)
        let x = contiguous(), w = weight.contiguous()
        let rows = count / Swift.max(width, 1)
        let output = Tensor(uninitializedShape: shape)
        let rstds = Tensor(uninitializedShape: [rows])
        let xp = x.base, wp = w.base, yp = output.base, rp = rstds.base
        Parallelism.forEachChunk(count: rows, costPerItem: width * 2) { range in
            for row in range {
                let xr = xp + row * width, yr = yp + row * width
                let rstd = 1 / (dotProduct(xr, xr, width) / Float(width) + epsilon).squareRoot()
                Tensor.normalizeRow(xr, yr, width, mean: 0, rstd: rstd, weight: wp, bias: nil)
                rp[row] = rstd
            }
        }
        return NormalizationResult(output: output, mean: Tensor.zeros([rows]), reciprocalStandardDeviation: rstds)
    }

    /// Backward pass of ``rmsNorm(weight:epsilon:)``:
    /// `dx = rstd * (g - n * mean(g * n))` with `n = x * rstd`, `g = dy * weight`.
    public static func rmsNormBackward(
        input: Tensor, weight: Tensor, saved: NormalizationResult, outputGradient: Tensor
    ) throws -> NormalizationGradients {
        try normalizationBackward(input: input, weight: weight, hasBias: false, saved: saved,
                                  outputGradient: outputGradient, centered: false)
    }

    static func normalizationBackward(
        input: Tensor, weight: Tensor, hasBias: Bool, saved: NormalizationResult,
        outputGradient: Tensor, centered: Bool
    ) throws -> NormalizationGradients {
        guard input.shape == outputGradient.shape else {
            throw TensorError.shapeMismatch(operation: "normalization backward", lhs: input.shape, rhs: outputGradient.shape)
        }
        let width = weight.count
        let rows = input.count / Swift.max(width, 1)
        let x = input.contiguous(), w = weight.contiguous(), dy = outputGradient.contiguous()
        let dx = Tensor(uninitializedShape: input.shape)
        // Parameter gradients are summed over rows; each worker keeps its own partial sums.
        let workers = Swift.min(Parallelism.threadCount, Swift.max(rows, 1))
        let partialWeight = Tensor.zeros([workers, width]), partialBias = Tensor.zeros([workers, width])
        let xp = x.base, wp = w.base, gp = dy.base, dxp = dx.base
        let mp = saved.mean.base, rp = saved.reciprocalStandardDeviation.base
        let pw = partialWeight.base, pb = partialBias.base
        let chunkRows = (rows + workers - 1) / workers
        Parallelism.forEachChunk(count: workers, costPerItem: Parallelism.minimumParallelWork) { range in
            for worker in range {
                let dwp = pw + worker * width, dbp = pb + worker * width
                for row in (worker * chunkRows)..<Swift.min(rows, (worker + 1) * chunkRows) {
                    Tensor.normalizationBackwardRow(
                        xp + row * width, gp + row * width, dxp + row * width, width,
                        mean: centered ? mp[row] : 0, rstd: rp[row], centered: centered,
                        weight: wp, weightGradient: dwp, biasGradient: dbp)
                }
            }
        }
        let weightGradient = try partialWeight.sum(axis: 0).reshaped(weight.shape)
        let biasGradient = hasBias ? try partialBias.sum(axis: 0).reshaped(weight.shape) : nil
        return NormalizationGradients(input: dx, weight: weightGradient, bias: biasGradient)
    }

    /// `y = (x - mean) * rstd * weight (+ bias)` over one row.
    @inline(__always)
    static func normalizeRow(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ width: Int, mean: Float, rstd: Float,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?
    ) {
        let m = SIMD8<Float>(repeating: mean), r = SIMD8<Float>(repeating: rstd)
        var j = 0
        if let bias {
            while j + 8 <= width {
                let n = (VectorMath.load(x + j) - m) * r
                VectorMath.store(n * VectorMath.load(weight + j) + VectorMath.load(bias + j), y + j)
                j += 8
            }
            while j < width { y[j] = (x[j] - mean) * rstd * weight[j] + bias[j]; j += 1 }
        } else {
            while j + 8 <= width {
                VectorMath.store((VectorMath.load(x + j) - m) * r * VectorMath.load(weight + j), y + j)
                j += 8
            }
            while j < width { y[j] = (x[j] - mean) * rstd * weight[j]; j += 1 }
        }
    }

    /// Backward pass over one row: writes dx and adds this row's share of dweight and dbias.
    @inline(__always)
    static func normalizationBackwardRow(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ width: Int,
        mean: Float, rstd: Float, centered: Bool, weight: UnsafePointer<Float>,
        weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>
    ) {
        typealias V = SIMD8<Float>
        let m = V(repeating: mean), r = V(repeating: rstd)
        var sumG = V(repeating: 0), sumGN = V(repeating: 0)
        var j = 0
        while j + 8 <= width {
            let n = (VectorMath.load(x + j) - m) * r
            let d = VectorMath.load(dy + j)
            let g = d * VectorMath.load(weight + j)
            sumG += g
            sumGN += g * n
            VectorMath.store(VectorMath.load(weightGradient + j) + d * n, weightGradient + j)
            VectorMath.store(VectorMath.load(biasGradient + j) + d, biasGradient + j)
            j += 8
        }
        var meanG = sumG.sum(), meanGN = sumGN.sum()
        while j < width {
            let n = (x[j] - mean) * rstd
            let g = dy[j] * weight[j]
            meanG += g
            meanGN += g * n
            weightGradient[j] += dy[j] * n
            biasGradient[j] += dy[j]
            j += 1
        }
        meanG = centered ? meanG / Float(width) : 0
        meanGN /= Float(width)
        let mg = V(repeating: meanG), mgn = V(repeating: meanGN)
        j = 0
        while j + 8 <= width {
            let n = (VectorMath.load(x + j) - m) * r
            let g = VectorMath.load(dy + j) * VectorMath.load(weight + j)
            VectorMath.store(r * (g - mg - n * mgn), dx + j)
            j += 8
        }
        while j < width {
            let n = (x[j] - mean) * rstd
            dx[j] = rstd * (dy[j] * weight[j] - meanG - n * meanGN)
            j += 1
        }
    }

    func checkNormalizationShapes(_ operation: String, weight: Tensor, bias: Tensor?) throws -> Int {
        guard let width = shape.last, weight.shape == [width] else {
            throw TensorError.shapeMismatch(operation: operation, lhs: shape, rhs: weight.shape)
        }
        if let bias, bias.shape != [width] {
            throw TensorError.shapeMismatch(operation: operation, lhs: shape, rhs: bias.shape)
        }
        return width
    }
}
