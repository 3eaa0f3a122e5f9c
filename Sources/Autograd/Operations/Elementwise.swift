import Tensors

/// Elementwise functions; each backward is the derivative times the incoming gradient.
extension Variable {
    /// e^x; backward reuses the output.
    public func exp() -> Variable {
        let output = value.exp()
        return Tape.record(output, inputs: [self]) { g in [try g * output] }
    }

    /// Natural logarithm; backward `g / x`.
    public func log() -> Variable {
        let input = value
        return Tape.record(value.log(), inputs: [self]) { g in [try g / input] }
    }

    /// Hyperbolic tangent; backward `g (1 - y^2)`.
    public func tanh() -> Variable {
        let output = value.tanh()
        return Tape.record(output, inputs: [self]) { g in [try g * (1 - (try output * output)) ] }
    }

    /// Logistic sigmoid; backward `g y (1 - y)`.
    public func sigmoid() -> Variable {
        let output = value.sigmoid()
        return Tape.record(output, inputs: [self]) { g in [try g * (try output * (1 - output))] }
    }

    /// max(x, 0); backward passes the gradient where x > 0.
    public func relu() -> Variable {
        let input = value
        return Tape.record(value.relu(), inputs: [self]) { g in
            [try g * input.map({ $0 > 0 ? 1 : 0 }, { v in SIMD8<Float>(repeating: 1).replacing(with: 0, where: v .<= 0) })]
        }
    }

    /// Square root; backward `g / (2 y)`.
    public func squareRoot() -> Variable {
        let output = value.squareRoot()
        return Tape.record(output, inputs: [self]) { g in [try g / (output * 2)] }
    }

    /// GELU (tanh approximation, GPT-2's `gelu_new`).
    public func gelu() -> Variable {
        let input = value
        return Tape.record(value.gelu(), inputs: [self]) { g in [try Tensor.geluBackward(input: input, outputGradient: g)] }
    }

    /// SiLU (swish), LLaMA's activation.
    public func silu() -> Variable {
        let input = value
        return Tape.record(value.silu(), inputs: [self]) { g in [try Tensor.siluBackward(input: input, outputGradient: g)] }
    }
}

extension Float {
    /// `scalar - tensor`, elementwise.
    static func - (lhs: Float, rhs: Tensor) -> Tensor { (-rhs) + lhs }
}
