import Tensors

/// A tensor that takes part in reverse-mode differentiation.
///
/// Leaves are created by the user (parameters, inputs); every differentiable operation on
/// variables returns a new, non-leaf variable and, while recording, appends one entry to the
/// current thread's ``Tape``. ``backward(seed:)`` walks the tape in reverse and accumulates
/// gradients (`+=`) into every variable that requires them.
///
/// ```swift
/// let w = Variable(Tensor.ones([3]), requiresGradient: true, name: "w")
/// let loss = try (w * w).sum()
/// try loss.backward()
/// print(w.grad!)   // [2, 2, 2]
/// ```
public final class Variable: @unchecked Sendable {
    /// The current value. Optimisers update parameters by writing into its storage.
    public var value: Tensor
    /// The accumulated gradient of the last backward pass(es), or nil when none has reached
    /// this variable since ``zeroGradient()``.
    public var grad: Tensor?
    /// Whether gradients flow to (and through) this variable. Setting it to false on a
    /// parameter freezes it (fine-tuning adapters on a frozen model).
    public var requiresGradient: Bool
    /// A stable name (parameters get dotted paths such as `blocks.0.attention.query.weight`).
    public var name: String
    /// True for variables made by the user rather than by an operation.
    public let isLeaf: Bool

    /// Creates a leaf variable.
    ///
    /// - Parameters:
    ///   - value: the tensor it holds.
    ///   - requiresGradient: whether backward should compute its gradient (parameters: true).
    ///   - name: a stable name for checkpoints and diagnostics.
    public init(_ value: Tensor, requiresGradient: Bool = false, name: String = "") {
        self.value = value
        self.requiresGradient = requiresGradient
        self.name = name
        self.isLeaf = true
    }

    init(result value: Tensor, requiresGradient: Bool) {
        self.value = value
        self.requiresGradient = requiresGradient
        self.name = ""
        self.isLeaf = false
    }

    /// The value's shape.
    public var shape: [Int] { value.shape }

    /// Forgets the accumulated gradient.
    public func zeroGradient() { grad = nil }

    /// Adds `gradient` to ``grad``. Leaves get their own buffer so that later in-place
    /// updates (accumulation, clipping) never write into a tensor another variable shares.
    func accumulate(_ gradient: Tensor) throws {
        guard gradient.shape == value.shape else {
            throw TensorError.shapeMismatch(operation: "gradient of \(name.isEmpty ? "variable" : name)", lhs: value.shape, rhs: gradient.shape)
        }
        if let existing = grad {
            if isLeaf {
                try existing.addInPlace(gradient)
            } else {
                grad = try existing + gradient
            }
        } else {
            grad = isLeaf ? gradient.copy() : gradient
        }
    }

    /// Runs reverse-mode differentiation from this variable over the current thread's tape,
    /// then clears the tape.
    ///
    /// - Parameter seed: the gradient of the final objective with respect to this variable;
    ///   defaults to 1 for a one-element variable.
    public func backward(seed: Tensor? = nil) throws {
        let tape = Tape.current
        defer { tape.reset() }
        let initial: Tensor
        if let seed {
            initial = seed
        } else {
            guard value.count == 1 else {
                throw TensorError.invalidArgument(operation: "backward", detail: "needs a seed gradient for a non-scalar output of shape \(value.shape)")
            }
            initial = Tensor.ones(value.shape)
        }
        guard requiresGradient else { return }
        try accumulate(initial)
        for entry in tape.entries.reversed() {
            guard let gradient = entry.output.grad else { continue }
            let inputGradients = try entry.backward(gradient)
            for (input, inputGradient) in zip(entry.inputs, inputGradients) where input.requiresGradient {
                if let inputGradient { try input.accumulate(inputGradient) }
            }
            // Intermediate gradients are not needed once propagated; dropping them frees memory.
            if !entry.output.isLeaf { entry.output.grad = nil }
        }
    }
}

extension Variable: CustomStringConvertible {
    /// The name, if any, and the value's description.
    public var description: String { "Variable(\(name.isEmpty ? "" : name + ", ")\(value))" }
}
