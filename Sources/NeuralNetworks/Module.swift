import Autograd
import Tensors

/// A layer or model: any class whose stored properties hold parameters (`Variable`s) and
/// sub-modules.
///
/// Parameters are discovered by reflection, so a module declares nothing beyond its
/// properties. Paths are the property names joined by dots, with array indices:
/// `blocks.0.attention.qkv.weight`. The paths are stable (pinned by a test) and name the
/// tensors in checkpoints.
///
/// ```swift
/// final class TwoLayer: Module {
///     let first = Linear(inputSize: 4, outputSize: 8, generator: &g)
///     let second = Linear(inputSize: 8, outputSize: 2, generator: &g)
/// }
/// TwoLayer().namedParameters().map(\.name)  // ["first.weight", "first.bias", ...]
/// ```
public protocol Module: AnyObject {}

extension Module {
    /// Every parameter (trainable or frozen) with its dotted path, in declaration order.
    public func namedParameters() -> [(name: String, variable: Variable)] {
        var result: [(name: String, variable: Variable)] = []
        var modules: [(name: String, module: Module)] = []
        collect(self, prefix: "", parameters: &result, modules: &modules)
        return result
    }

    /// Every sub-module (this one included, with the empty path), in declaration order.
    public func namedModules() -> [(name: String, module: Module)] {
        var parameters: [(name: String, variable: Variable)] = []
        var modules: [(name: String, module: Module)] = []
        collect(self, prefix: "", parameters: &parameters, modules: &modules)
        return modules
    }

    /// Every parameter, in declaration order.
    public var parameters: [Variable] { namedParameters().map(\.variable) }

    /// The parameters that require gradients (all of them unless some were frozen).
    public func trainableParameters() -> [(name: String, variable: Variable)] {
        namedParameters().filter { $0.variable.requiresGradient }
    }

    /// Freezes every parameter: later computations record no gradients for them.
    public func freeze() { for parameter in parameters { parameter.requiresGradient = false } }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Forgets accumulated gradients.
    public func zeroGradients() { for parameter in parameters { parameter.zeroGradient() } }

    /// Names each parameter after its path (for diagnostics and checkpoints).
    public func assignParameterNames() {
        for (name, variable) in namedParameters() { variable.name = name }
    }
}

/// Walks a value's stored properties: leaf variables and modules are collected, modules and
/// arrays are descended into, optionals unwrapped.
private func collect(
    _ value: Any, prefix: String,
    parameters result: inout [(name: String, variable: Variable)], modules: inout [(name: String, module: Module)]
) {
    if let variable = value as? Variable {
        if variable.isLeaf { result.append((String(prefix.dropLast()), variable)) }
        return
    }
    if let module = value as? Module {
        modules.append((String(prefix.dropLast()), module))
        var mirror: Mirror? = Mirror(reflecting: module)
        var levels: [Mirror] = []
        while let current = mirror { levels.insert(current, at: 0); mirror = current.superclassMirror }
        for level in levels {
            for child in level.children {
                guard let label = child.label else { continue }
                collect(child.value, prefix: prefix + label + ".", parameters: &result, modules: &modules)
            }
        }
        return
    }
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .optional:
        if let wrapped = mirror.children.first { collect(wrapped.value, prefix: prefix, parameters: &result, modules: &modules) }
    case .collection:
        for (index, element) in mirror.children.enumerated() {
            collect(element.value, prefix: prefix + "\(index).", parameters: &result, modules: &modules)
        }
    default:
        break
    }
}

/// Errors of model construction and loading; each names the field or tensor at fault.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    /// A configuration field with an invalid value.
    case invalidConfiguration(field: String, detail: String)
    /// A tensor the model needs is absent from the weights file.
    case missingTensor(name: String, file: String)
    /// A tensor in the weights file has the wrong shape.
    case tensorShapeMismatch(name: String, expected: [Int], found: [Int], file: String)
    /// A model file (such as `config.json`) describing an architecture or field this code does not support.
    case unsupportedModel(file: String, detail: String)
    /// Invalid input to the model (a token id outside the vocabulary, mismatched batch sizes, ...).
    case invalidInput(detail: String)

    /// One line naming the field, tensor or file at fault.
    public var description: String {
        switch self {
        case let .invalidConfiguration(field, detail): return "invalid model configuration: \(field): \(detail)"
        case let .missingTensor(name, file): return "\(file): missing tensor '\(name)'"
        case let .tensorShapeMismatch(name, expected, found, file):
            return "\(file): tensor '\(name)' has shape \(found), expected \(expected)"
        case let .unsupportedModel(file, detail): return "\(file): \(detail)"
        case let .invalidInput(detail): return "invalid model input: \(detail)"
        }
    }
}
