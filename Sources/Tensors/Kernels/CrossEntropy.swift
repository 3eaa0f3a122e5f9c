/// Cross-entropy over rows of logits, forward and backward fused in one pass
/// (llm.c's fused classifier): each row's softmax is computed once and turned into both the
/// loss and the gradient, so the `[N, V]` probabilities are never stored separately.
///
/// With label smoothing ε (Szegedy et al. 2016) the target is `(1-ε)` on the class plus `ε/V`
/// everywhere; rows whose target equals `ignoreIndex` are skipped; optional per-row weights
/// give `sum(w_i l_i) / sum(w_i)`.
extension Tensor {
    /// The loss and its gradient with respect to the logits.
    public struct CrossEntropyResult: Sendable {
        /// Mean (weighted) loss over rows that are not ignored.
        public let loss: Double
        /// `d loss / d logits`, `[N, V]` (nil when not requested).
        public let gradient: Tensor?
    }

    /// Fused cross-entropy of `[N, V]` logits against class indices.
    public static func crossEntropy(
        logits: Tensor, targets: [Int], ignoreIndex: Int, labelSmoothing: Float, weights: [Float]?, computeGradient: Bool
    ) throws -> CrossEntropyResult {
        guard logits.rank == 2, logits.shape[0] == targets.count else {
            throw TensorError.shapeMismatch(operation: "cross-entropy", lhs: logits.shape, rhs: [targets.count])
        }
        guard labelSmoothing >= 0, labelSmoothing < 1 else {
            throw TensorError.invalidArgument(operation: "cross-entropy", detail: "label smoothing \(labelSmoothing) must be in [0, 1)")
        }
        if let weights, weights.count != targets.count {
            throw TensorError.shapeMismatch(operation: "cross-entropy weights", lhs: [targets.count], rhs: [weights.count])
        }
        let (rows, classes) = (logits.shape[0], logits.shape[1])
        if let bad = targets.first(where: { $0 != ignoreIndex && ($0 < 0 || $0 >= classes) }) {
            throw TensorError.invalidArgument(operation: "cross-entropy", detail: "target \(bad) is outside 0..<\(classes)")
        }
        var weightTotal = 0.0
        for row in 0..<rows where targets[row] != ignoreIndex { weightTotal += Double(weights?[row] ?? 1) }
        let normalizer = weightTotal > 0 ? weightTotal : 1
        let x = logits.contiguous()
        let gradient = computeGradient ? Tensor(uninitializedShape: logits.shape) : nil
        let losses = TensorStorage(count: rows, repeating: 0)
        let xp = x.base, gp = gradient?.base, lp = losses.pointer
        let uniform = labelSmoothing / Float(classes)
        Parallelism.forEachChunk(count: rows, costPerItem: classes * 4) { range in
            for row in range {
                let xr = xp + row * classes
                let target = targets[row]
                guard target != ignoreIndex else {
                    if let gp { (gp + row * classes).update(repeating: 0, count: classes) }
                    continue
                }
                let w = weights?[row] ?? 1
                // log-sum-exp, shifted by the maximum for stability at any magnitude.
                let maximum = VectorMath.maximum(xr, classes)
                let shift = SIMD8<Float>(repeating: maximum)
                var sums = SIMD8<Float>(repeating: 0)
                var j = 0
                while j + 8 <= classes { sums += VectorMath.exp(VectorMath.load(xr + j) - shift); j += 8 }
                var total = sums.sum()
                while j < classes { total += VectorMath.exp(xr[j] - maximum); j += 1 }
                let logTotal = logf(total)
                // loss = -(1-ε) logp[target] - ε/V sum(logp)
                var rowLoss = -(1 - labelSmoothing) * ((xr[target] - maximum) - logTotal)
                if labelSmoothing > 0 {
                    let sumLogits = VectorMath.sum(xr, classes)
                    rowLoss -= uniform * (sumLogits - Float(classes) * (maximum + logTotal))
                }
                lp[row] = w * rowLoss
                if let gp {
                    // d/dlogit = w (p - target distribution) / sum(w)
                    let gr = gp + row * classes
                    let scale = w / Float(normalizer)
                    let s = SIMD8<Float>(repeating: scale), inv = SIMD8<Float>(repeating: 1 / total), u = SIMD8<Float>(repeating: uniform)
                    j = 0
                    while j + 8 <= classes {
                        let p = VectorMath.exp(VectorMath.load(xr + j) - shift) * inv
                        VectorMath.store((p - u) * s, gr + j)
                        j += 8
                    }
                    while j < classes { gr[j] = (VectorMath.exp(xr[j] - maximum) / total - uniform) * scale; j += 1 }
                    gr[target] -= (1 - labelSmoothing) * scale
                }
            }
        }
        var lossTotal = 0.0
        for row in 0..<rows { lossTotal += Double(lp[row]) }
        return CrossEntropyResult(loss: lossTotal / normalizer, gradient: gradient)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
