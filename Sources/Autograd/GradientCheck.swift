import Tensors

/// Compares the gradients that backward computes with central finite differences.
///
/// The function's output is reduced to a scalar with fixed random weights `r`
/// (`L = sum(f(x) * r)`), so every output element is checked, not just their sum. Each input
/// element is perturbed by `±epsilon` and `(L(x+e) - L(x-e)) / 2e` is accumulated in Double.
///
/// ```swift
/// let x = Variable(Tensor.normal([3, 4], using: &generator), requiresGradient: true)
/// let report = try GradientCheck.run(inputs: [x]) { try $0[0].softmax() }
/// #expect(report.passed)
/// ```
public enum GradientCheck {
    /// The worst disagreement found.
    public struct Report: Sendable, CustomStringConvertible {
        /// Largest |analytic - numeric| over all checked elements.
        public let maxAbsoluteError: Float
        /// The element where the tolerance was exceeded by the most (input index, element index).
        public let worst: (input: Int, element: Int, analytic: Float, numeric: Float)?
        /// True when every element satisfied |a - n| <= atol + rtol * |n|.
        public let passed: Bool
        /// Number of elements checked.
        public let checkedElements: Int

        /// One line: passed or FAILED, elements checked, the maximum error and the worst element.
        public var description: String {
            let location = worst.map { "input \($0.input) element \($0.element): analytic \($0.analytic) vs numeric \($0.numeric)" } ?? "none"
            return "GradientCheck(\(passed ? "passed" : "FAILED"), \(checkedElements) elements, max |error| \(maxAbsoluteError), worst: \(location))"
        }
    }

    /// Runs the check.
    ///
    /// - Parameters:
    ///   - inputs: leaf variables with `requiresGradient`; their values are perturbed in place
    ///     and restored.
    ///   - epsilon: the finite-difference step.
    ///   - relativeTolerance, absoluteTolerance: an element passes when
    ///     `|analytic - numeric| <= absoluteTolerance + relativeTolerance * |numeric|`.
    ///   - seed: seeds the projection weights.
    ///   - function: the computation under test.
    public static func run(
        inputs: [Variable], epsilon: Float = 1e-2, relativeTolerance: Float = 2e-2,
        absoluteTolerance: Float = 2e-3, seed: UInt64 = 7,
        _ function: ([Variable]) throws -> Variable
    ) throws -> Report {
        for input in inputs { input.zeroGradient() }
        Tape.current.reset()
        let output = try function(inputs)
        var generator = SeededGenerator(seed: seed)
        let projection = Tensor.uniform(output.shape, lower: -1, upper: 1, using: &generator)
        try output.backward(seed: projection)
        let projectionValues = projection.scalars

        func objective() throws -> Double {
            let values = try Tape.withoutGradient { try function(inputs).value.scalars }
            var total = 0.0
            for (value, weight) in zip(values, projectionValues) { total += Double(value) * Double(weight) }
            return total
        }

        var maxError: Float = 0, worstExcess: Float = 0, checked = 0
        var worst: (input: Int, element: Int, analytic: Float, numeric: Float)?
        for (inputIndex, input) in inputs.enumerated() where input.requiresGradient {
            let analytic = input.grad?.scalars ?? [Float](repeating: 0, count: input.value.count)
            precondition(input.value.isContiguous, "GradientCheck perturbs inputs in place; give it contiguous values")
            let pointer = input.value.storage.pointer + input.value.offset
            for element in 0..<input.value.count {
                let original = pointer[element]
                pointer[element] = original + epsilon
                let plus = try objective()
                pointer[element] = original - epsilon
                let minus = try objective()
                pointer[element] = original
                let numeric = Float((plus - minus) / (2 * Double(epsilon)))
                let error = abs(analytic[element] - numeric)
                maxError = Swift.max(maxError, error)
                let excess = error - (absoluteTolerance + relativeTolerance * abs(numeric))
                if excess > worstExcess || worst == nil && excess > 0 {
                    worstExcess = excess
                    worst = (inputIndex, element, analytic[element], numeric)
                }
                checked += 1
            }
        }
        return Report(maxAbsoluteError: maxError, worst: worst, passed: worst == nil, checkedElements: checked)
    }
}
