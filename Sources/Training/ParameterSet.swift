import Autograd
import Tensors

/// The trainable parameters of a model: named ``Autograd/Variable``s in a fixed order.
///
/// The training module knows nothing about model architectures; a model hands over its
/// parameters as a `ParameterSet` and a loss closure, and the optimiser, clipping and
/// checkpoints work on the set. Names are the checkpoint keys (`blocks.0.mlp.weight`), so
/// they must be unique and non-empty, and each value must be contiguous and own its storage
/// because optimisers update values in place.
///
/// ```swift
/// let weight = Variable(Tensor.normal([4, 8], using: &generator), requiresGradient: true, name: "fc.weight")
/// let bias = Variable(Tensor.zeros([8]), requiresGradient: true, name: "fc.bias")
/// let parameters = try ParameterSet([weight, bias])
/// print(parameters.scalarCount)   // 40
/// try parameters.save(to: "run/model.safetensors")
/// ```
public struct ParameterSet: @unchecked Sendable, RandomAccessCollection {
    /// The variables, in the order given.
    public let variables: [Variable]
    private let indexByName: [String: Int]

    /// Collects `variables`, keyed by their ``Autograd/Variable/name``.
    ///
    /// - Throws: ``TrainingError/invalidParameter(name:detail:)`` for an empty or repeated
    ///   name or a value that is not contiguous.
    public init(_ variables: [Variable]) throws {
        var indexByName: [String: Int] = [:]
        for (index, variable) in variables.enumerated() {
            guard !variable.name.isEmpty else {
                throw TrainingError.invalidParameter(name: "#\(index)", detail: "has no name; checkpoints key parameters by name")
            }
            guard indexByName[variable.name] == nil else {
                throw TrainingError.invalidParameter(name: variable.name, detail: "appears twice in the parameter set")
            }
            guard variable.value.isContiguous, variable.value.offset + variable.value.count <= variable.value.storage.count else {
                throw TrainingError.invalidParameter(
                    name: variable.name, detail: "value of shape \(variable.shape) is a strided view; give parameters their own contiguous buffer (value.copy())")
            }
            indexByName[variable.name] = index
        }
        self.variables = variables
        self.indexByName = indexByName
    }

    /// Collects named variables, setting each variable's ``Autograd/Variable/name`` to its
    /// key; the order is the keys sorted, so it does not depend on dictionary order.
    ///
    /// ```swift
    /// let parameters = try ParameterSet(named: ["w": w, "b": b])
    /// ```
    public init(named variables: [String: Variable]) throws {
        let ordered = variables.keys.sorted().map { name -> Variable in
            let variable = variables[name]!
            variable.name = name
            return variable
        }
        try self.init(ordered)
    }

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of variables.
    public var endIndex: Int { variables.count }
    /// The variable at `position`, in the set's order.
    public subscript(position: Int) -> Variable { variables[position] }

    /// The variable called `name`, or nil.
    public subscript(name: String) -> Variable? {
        indexByName[name].map { variables[$0] }
    }

    /// The names, in order.
    public var names: [String] { variables.map(\.name) }

    /// The total number of scalars over all parameters (the model's "parameter count").
    public var scalarCount: Int { variables.reduce(0) { $0 + $1.value.count } }

    /// The scalars of the variables that require gradients (the trainable count).
    public var trainableScalarCount: Int {
        variables.reduce(0) { $0 + ($1.requiresGradient ? $1.value.count : 0) }
    }

    /// The position of the variable called `name`, or nil.
    public func index(of name: String) -> Int? { indexByName[name] }

    /// Copies of every value, by name (a snapshot to compare against later).
    public func snapshot() -> [String: [Float]] {
        Dictionary(uniqueKeysWithValues: variables.map { ($0.name, $0.value.scalars) })
    }
}

extension Tensor {
    /// The elements as a mutable buffer; only for tensors the caller owns (parameters,
    /// optimiser state), which ``ParameterSet`` checks are contiguous.
    @inline(__always)
    var mutableBuffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: storage.pointer + offset, count: count)
    }

    /// The elements of a contiguous tensor as a read-only buffer.
    @inline(__always)
    var readBuffer: UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: storage.pointer + offset, count: count)
    }
}
