import Foundation
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
        let needsGradient = requiresGradient && Tape.current.isRecording
        let result = try Tensor.crossEntropy(
            logits: value, targets: targets, ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing,
            weights: weights, computeGradient: needsGradient)
        return Tape.record(Tensor(scalar: Float(result.loss)), inputs: [self]) { g in
            // The fused kernel already produced d(loss)/d(logits); only the seed scales it.
            let scale = g.scalar
            return [scale == 1 ? result.gradient! : result.gradient! * scale]
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

    /// Mean binary cross-entropy of logits `x` against targets `t` in [0, 1] (same shape):
    /// `mean(max(x, 0) - x t + log(1 + exp(-|x|)))`, the stable form of
    /// `-t log sigmoid(x) - (1 - t) log(1 - sigmoid(x))`. Its gradient `sigmoid(x) - t` does not
    /// vanish when the sigmoid saturates on the wrong side, unlike a squared error after a
    /// sigmoid.
    public func binaryCrossEntropy(logitsAgainst target: Tensor) throws -> Variable {
        guard target.shape == shape else {
            throw TensorError.shapeMismatch(operation: "binary cross-entropy", lhs: shape, rhs: target.shape)
        }
        let x = value.contiguous().scalars, t = target.contiguous().scalars
        var total = 0.0
        var gradient = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let e = Foundation.exp(-Swift.abs(x[i]))
            total += Double(Swift.max(x[i], 0) - x[i] * t[i] + Foundation.log1p(e))
            let sigmoid = x[i] >= 0 ? 1 / (1 + e) : e / (1 + e)
            gradient[i] = sigmoid - t[i]
        }
        let count = Float(Swift.max(x.count, 1))
        let saved = Tensor(shape: shape, values: gradient)
        return Tape.record(Tensor(scalar: Float(total) / count), inputs: [self]) { g in [saved * (g.scalar / count)] }
    }
}
