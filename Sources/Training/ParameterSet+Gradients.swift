import Autograd
import Tensors

/// Gradient bookkeeping over a whole parameter set: zeroing, averaging and clipping by
/// global norm (Pascanu, Mikolov & Bengio 2013, "On the difficulty of training recurrent
/// neural networks", section 3.2; the global-norm form of PyTorch's `clip_grad_norm_`).
extension ParameterSet {
    /// Forgets every accumulated gradient (before a step's first micro-batch, and after the
    /// update, so gradients do not hold memory between steps).
    ///
    /// ```swift
    /// parameters.zeroGradients()
    /// ```
    public func zeroGradients() {
        for variable in variables { variable.zeroGradient() }
    }

    /// Multiplies every gradient by `factor` in place (averaging over micro-batches).
    public func scaleGradients(by factor: Float) {
        guard factor != 1 else { return }
        for variable in variables {
            if let gradient = variable.grad { gradient.scaleInPlace(factor) }
        }
    }

    /// The L2 norm of all gradients taken together, `sqrt(sum over parameters of |g|^2)`;
    /// parameters without a gradient count as zero. NaN or infinity when any gradient is.
    ///
    /// ```swift
    /// let norm = parameters.gradientNorm()
    /// ```
    public func gradientNorm() -> Float {
        // Per tensor in Float SIMD lanes, across tensors in Double: the sum over millions
        // of elements keeps its precision, and the order is fixed, so runs reproduce.
        var total = 0.0
        for variable in variables {
            guard let gradient = variable.grad else { continue }
            let dense = gradient.isContiguous ? gradient : gradient.contiguous()
            total += Double(Self.sumOfSquares(dense.readBuffer))
        }
        return Float(total.squareRoot())
    }

    /// Scales all gradients so that their global norm is at most `maxNorm`, and returns the
    /// norm before clipping.
    ///
    /// A non-finite norm is returned as it is and the gradients are left untouched, so the
    /// caller can report the divergence (scaling by `max / inf` would silently zero them).
    ///
    /// - Parameter maxNorm: the largest allowed norm; values <= 0 disable clipping.
    /// - Returns: the global norm before clipping (check `isFinite`).
    ///
    /// ```swift
    /// let norm = parameters.clipGradients(maxNorm: 1.0)
    /// guard norm.isFinite else { throw ... }
    /// ```
    @discardableResult
    public func clipGradients(maxNorm: Float) -> Float {
        let norm = gradientNorm()
        guard norm.isFinite, maxNorm > 0, norm > maxNorm else { return norm }
        // PyTorch adds 1e-6 so a norm just above the limit never divides by ~0.
        scaleGradients(by: maxNorm / (norm + 1e-6))
        return norm
    }

    /// Sum of squares with eight independent accumulators (vectorises; fixed order).
    static func sumOfSquares(_ values: UnsafeBufferPointer<Float>) -> Float {
        guard let base = values.baseAddress else { return 0 }
        let count = values.count
        var lanes = SIMD8<Float>(repeating: 0)
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i + 8 <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            lanes += v * v
            i += 8
        }
        var total = lanes.sum()
        while i < count {
            total += base[i] * base[i]
            i += 1
        }
        return total
    }
}
