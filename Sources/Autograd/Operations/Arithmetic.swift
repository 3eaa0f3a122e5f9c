import Tensors

/// Broadcasting arithmetic. Backward sums each gradient back over the axes its operand was
/// broadcast along (``Tensors/Tensor/reduced(toShape:)``).
extension Variable {
    /// Elementwise sum, broadcasting both operands; records the operation on the tape.
    ///
    /// - Throws: ``Tensors/TensorError/shapeMismatch(operation:lhs:rhs:)`` when the shapes do not broadcast.
    public static func + (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value + rhs.value
        return Tape.record(value, inputs: [lhs, rhs]) { g in
            [lhs.requiresGradient ? try g.reduced(toShape: lhs.shape) : nil,
             rhs.requiresGradient ? try g.reduced(toShape: rhs.shape) : nil]
        }
    }

    /// Elementwise difference, broadcasting both operands; records the operation on the tape.
    ///
    /// - Throws: ``Tensors/TensorError/shapeMismatch(operation:lhs:rhs:)`` when the shapes do not broadcast.
    public static func - (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value - rhs.value
        return Tape.record(value, inputs: [lhs, rhs]) { g in
            [lhs.requiresGradient ? try g.reduced(toShape: lhs.shape) : nil,
             rhs.requiresGradient ? try (-g).reduced(toShape: rhs.shape) : nil]
        }
    }

    /// Elementwise product, broadcasting both operands; records the operation on the tape.
    ///
    /// - Throws: ``Tensors/TensorError/shapeMismatch(operation:lhs:rhs:)`` when the shapes do not broadcast.
    public static func * (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value * rhs.value
        return Tape.record(value, inputs: [lhs, rhs]) { g in
            [lhs.requiresGradient ? try (g * rhs.value).reduced(toShape: lhs.shape) : nil,
             rhs.requiresGradient ? try (g * lhs.value).reduced(toShape: rhs.shape) : nil]
        }
    }

    /// Elementwise quotient, broadcasting both operands; records the operation on the tape.
    ///
    /// - Throws: ``Tensors/TensorError/shapeMismatch(operation:lhs:rhs:)`` when the shapes do not broadcast.
    public static func / (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value / rhs.value
        return Tape.record(value, inputs: [lhs, rhs]) { g in
            // d(a/b)/da = 1/b; d(a/b)/db = -a/b^2 = -(a/b)/b
            [lhs.requiresGradient ? try (g / rhs.value).reduced(toShape: lhs.shape) : nil,
             rhs.requiresGradient ? try (-(g * value) / rhs.value).reduced(toShape: rhs.shape) : nil]
        }
    }

    /// Adds a scalar to every element (the gradient passes through unchanged).
    public static func + (lhs: Variable, rhs: Float) -> Variable {
        Tape.record(lhs.value + rhs, inputs: [lhs]) { g in [g] }
    }

    /// Subtracts a scalar from every element.
    public static func - (lhs: Variable, rhs: Float) -> Variable { lhs + (-rhs) }

    /// Multiplies every element by a scalar (the gradient is scaled by it too).
    public static func * (lhs: Variable, rhs: Float) -> Variable {
        Tape.record(lhs.value * rhs, inputs: [lhs]) { g in [g * rhs] }
    }

    /// Multiplies every element by a scalar.
    public static func * (lhs: Float, rhs: Variable) -> Variable { rhs * lhs }

    /// Divides every element by a scalar.
    public static func / (lhs: Variable, rhs: Float) -> Variable { lhs * (1 / rhs) }

    /// Negates every element.
    public static prefix func - (operand: Variable) -> Variable { operand * -1 }
}
