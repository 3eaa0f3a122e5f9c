/// Activation functions whose backward pass is not a plain elementwise identity:
/// GELU (tanh approximation) and SiLU, forward and backward side by side.
///
/// GELU: Hendrycks & Gimpel 2016, "Gaussian Error Linear Units", tanh form as in GPT-2
/// (`gelu_new`): `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`. We use the identity
/// `0.5 (1 + tanh(u)) = sigmoid(2u)`, which needs one exp and is accurate near 0.
/// SiLU: Elfwing et al. 2017, `x * sigmoid(x)` (LLaMA's MLP).
extension Tensor {
    @inline(__always) static var geluScale: Float { 0.7978845608028654 }  // sqrt(2 / pi)
    @inline(__always) static var geluCubic: Float { 0.044715 }

    /// GELU, tanh approximation.
    public func gelu() -> Tensor {
        map({ x in
            let u = Tensor.geluScale * (x + Tensor.geluCubic * x * x * x)
            return x / (1 + VectorMath.expClamped(-2 * u))
        }, { x in
            let u = Tensor.geluScale * (x + Tensor.geluCubic * x * x * x)
            return x / (1 + VectorMath.expClamped(-2 * u))
        })
    }

    /// Gradient of ``gelu()`` given its input.
    public static func geluBackward(input: Tensor, outputGradient: Tensor) throws -> Tensor {
        try binary(input, outputGradient, "GELU backward", { x, g in
            let u = geluScale * (x + geluCubic * x * x * x)
            let s = 1 / (1 + VectorMath.expClamped(-2 * u))
            let du = geluScale * (1 + 3 * geluCubic * x * x)
            return g * (s + x * 2 * s * (1 - s) * du)
        }, { x, g in
            let u = geluScale * (x + geluCubic * x * x * x)
            let s = 1 / (1 + VectorMath.expClamped(-2 * u))
            let du = geluScale * (1 + 3 * geluCubic * x * x)
            return g * (s + x * 2 * s * (1 - s) * du)
        })
    }

    /// SiLU (swish): `x * sigmoid(x)`.
    public func silu() -> Tensor {
        map({ x in x / (1 + VectorMath.expClamped(-x)) }, { x in x / (1 + VectorMath.expClamped(-x)) })
    }

    /// Gradient of ``silu()`` given its input: `s + x s (1 - s)`.
    public static func siluBackward(input: Tensor, outputGradient: Tensor) throws -> Tensor {
        try binary(input, outputGradient, "SiLU backward", { x, g in
            let s = 1 / (1 + VectorMath.expClamped(-x))
            return g * (s + x * s * (1 - s))
        }, { x, g in
            let s = 1 / (1 + VectorMath.expClamped(-x))
            return g * (s + x * s * (1 - s))
        })
    }
}
