import Tensors

/// Broadcasting arithmetic. Backward sums each gradient back over the axes its operand was
/// broadcast along (``Tensors/Tensor/reduced(toShape:)``).
extension Variable {
    public static func + (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value + rhs.value
        return Tape.record(value, inputs: [lhs, rhs]) { g in
            [lhs.requiresGradient ? try g.reduced(toShape: lhs.shape) : nil,
             rhs.requiresGradient ? try g.reduced(toShape: rhs.shape) : nil]
        }
    }

    public static func - (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value - rhs.value
        return Tape.record(value, inputs: [lhs, rhs]) { g in
            [lhs.requiresGradient ? try g.reduced(toShape: lhs.shape) : nil,
             rhs.requiresGradient ? try (-g).reduced(toShape: rhs.shape) : nil]
        }
    }

    public static func * (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value * rhs.value
        return Tape.record(value, inputs: [lhs, rhs]) { g in
            [lhs.requiresGradient ? try (g * rhs.value).reduced(toShape: lhs.shape) : nil,
             rhs.requiresGradient ? try (g * lhs.value).reduced(toShape: rhs.shape) : nil]
        }
    }

    public static func / (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value / rhs.value
        return Tape.record(value, inputs: [lhs, rhs]) { g in
            // d(a/b)/da = 1/b; d(a/b)/db = -a/b^2 = -(a/b)/b
            [lhs.requiresGradient ? try (g / rhs.value).reduced(toShape: lhs.shape) : nil,
             rhs.requiresGradient ? try (-(g * value) / rhs.value).reduced(toShape: rhs.shape) : nil]
        }
    }

    public static func + (lhs: Variable, rhs: Float) -> Variable {
        Tape.record(lhs.value + rhs, inputs: [lhs]) { g in [g] }
    }

    public static func - (lhs: Variable, rhs: Float) -> Variable { lhs + (-rhs) }

    public static func * (lhs: Variable, rhs: Float) -> Variable {
        Tape.record(lhs.value * rhs, inputs: [lhs]) { g in [g * rhs] }
    }

    public static func * (lhs: Float, rhs: Variable) -> Variable { rhs * lhs }

    public static func / (lhs: Variable, rhs: Float) -> Variable { lhs * (1 / rhs) }

    public static prefix func - (operand: Variable) -> Variable { operand * -1 }
}
