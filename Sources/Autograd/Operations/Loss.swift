import Tensors

/// Training losses, fused with their final activation for numerical stability.
extension Variable {
    /// Mean cross-entropy of `[N, V]` logits against class indices, computed from a fused
    /// log-softmax so that logits of any magnitude give finite values and gradients.
    ///
    /// - Parameters:
    ///   - targets: one class index per row; rows whose target equals `ignoreIndex` count
    ///     neither in the loss nor in the mean.
    ///   - ignoreIndex: the target value to skip (default -100, as PyTorch).
    ///   - labelSmoothing: ε in [0, 1): the target distribution is `(1-ε)` on the class plus
    ///     `ε/V` everywhere (Szegedy et al. 2016).
    ///   - weights: optional per-row weights (for example IconShop's 7:1 SVG-to-text ratio);
    ///     the loss is then `sum(w_i l_i) / sum(w_i)` over rows not ignored.
    public func crossEntropy(
        targets: [Int], ignoreIndex: Int = -100, labelSmoothing: Float = 0, weights: [Float]? = nil
    ) throws -> Variable {
        guard value.rank == 2, value.shape[0] == targets.count else {
            throw TensorError.shapeMismatch(operation: "cross-entropy", lhs: value.shape, rhs: [targets.count])
        }
        guard labelSmoothing >= 0, labelSmoothing < 1 else {
            throw TensorError.invalidArgument(operation: "cross-entropy", detail: "label smoothing \(labelSmoothing) must be in [0, 1)")
        }
        if let weights, weights.count != targets.count {
            throw TensorError.shapeMismatch(operation: "cross-entropy weights", lhs: [targets.count], rhs: [weights.count])
        }
        let rows = value.shape[0], classes = value.shape[1]
        if let bad = targets.first(where: { $0 != ignoreIndex && ($0 < 0 || $0 >= classes) }) {
            throw TensorError.invalidArgument(operation: "cross-entropy", detail: "target \(bad) is outside 0..<\(classes)")
        }
        let logProbabilities = value.logSoftmax().scalars
        var total = 0.0, weightTotal = 0.0
        let smoothing = Double(labelSmoothing)
        for row in 0..<rows where targets[row] != ignoreIndex {
            let w = Double(weights?[row] ?? 1)
            let base = row * classes
            var rowLoss = -(1 - smoothing) * Double(logProbabilities[base + targets[row]])
            if smoothing > 0 {
                var sum = 0.0
                for c in 0..<classes { sum += Double(logProbabilities[base + c]) }
                rowLoss -= smoothing / Double(classes) * sum
            }
            total += w * rowLoss
            weightTotal += w
        }
        let normalizer = weightTotal > 0 ? weightTotal : 1
        let loss = Tensor(scalar: Float(total / normalizer))
        let logitShape = value.shape
        return Tape.record(loss, inputs: [self]) { g in
            // d loss / d logits = w (softmax - target distribution) / sum(w), per row.
            let scale = g.scalar / Float(normalizer)
            var gradient = [Float](repeating: 0, count: rows * classes)
            let uniform = labelSmoothing / Float(classes)
            for row in 0..<rows where targets[row] != ignoreIndex {
                let w = (weights?[row] ?? 1) * scale
                let base = row * classes
                for c in 0..<classes {
                    let p = VectorExp.exp(logProbabilities[base + c])
                    gradient[base + c] = w * (p - uniform)
                }
                gradient[base + targets[row]] -= w * (1 - labelSmoothing)
            }
            return [Tensor(shape: logitShape, values: gradient)]
        }
    }

    /// Mean squared error against `target` (same shape): `mean((x - t)^2)`.
    public func meanSquaredError(_ target: Tensor) throws -> Variable {
        guard target.shape == shape else {
            throw TensorError.shapeMismatch(operation: "mean squared error", lhs: shape, rhs: target.shape)
        }
        let difference = try value - target
        let count = Float(Swift.max(value.count, 1))
        let loss = Tensor(scalar: (try difference * difference).sum() / count)
        return Tape.record(loss, inputs: [self]) { g in [difference * (2 * g.scalar / count)] }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum VectorExp {
    @inline(__always) static func exp(_ x: Float) -> Float { expf(x) }
}
