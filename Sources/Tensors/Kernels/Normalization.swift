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
        public let input: Tensor
        public let weight: Tensor
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
                var sum: Float = 0
                for j in 0..<width { sum += xr[j] }
                let mean = sum / Float(width)
                var squares: Float = 0
                for j in 0..<width { let d = xr[j] - mean; squares += d * d }
                let rstd = 1 / (squares / Float(width) + epsilon).squareRoot()
                if let bp {
                    for j in 0..<width { yr[j] = (xr[j] - mean) * rstd * wp[j] + bp[j] }
                } else {
                    for j in 0..<width { yr[j] = (xr[j] - mean) * rstd * wp[j] }
                }
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
                for j in 0..<width { yr[j] = xr[j] * rstd * wp[j] }
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
                    let xr = xp + row * width, gr = gp + row * width, out = dxp + row * width
                    let mean = centered ? mp[row] : 0, rstd = rp[row]
                    var meanG: Float = 0, meanGN: Float = 0
                    for j in 0..<width {
                        let n = (xr[j] - mean) * rstd
                        let g = gr[j] * wp[j]
                        meanG += g
                        meanGN += g * n
                        dwp[j] += gr[j] * n
                        dbp[j] += gr[j]
                    }
                    meanG /= Float(width)
                    meanGN /= Float(width)
                    if !centered { meanG = 0 }
                    for j in 0..<width {
                        let n = (xr[j] - mean) * rstd
                        out[j] = rstd * (gr[j] * wp[j] - meanG - n * meanGN)
                    }
                }
            }
        }
        let weightGradient = try partialWeight.sum(axis: 0).reshaped(weight.shape)
        let biasGradient = hasBias ? try partialBias.sum(axis: 0).reshaped(weight.shape) : nil
        return NormalizationGradients(input: dx, weight: weightGradient, bias: biasGradient)
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
