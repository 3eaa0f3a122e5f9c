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
}

