import Autograd
import Foundation
import SafeTensors
import Tensors

/// LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models", section 4.1):
/// a frozen `W` gets a trainable update `(alpha / r) B A`, `A` `[r, in]` random, `B`
/// `[out, r]` zero, so training starts from the unchanged model.
public final class LowRankAdapter: Module {
    /// `[r, in]`, Kaiming-uniform at start.
    public let down: Variable
    /// `[out, r]`, zero at start.
    public let up: Variable
    /// `alpha / r`.
    public let scale: Float

    /// A rank-`rank` adapter for a `[outputSize, inputSize]` weight, scaled by `alpha / rank`.
    public init(inputSize: Int, outputSize: Int, rank: Int, alpha: Float, generator: inout SeededGenerator) {
        down = Variable(Tensor.kaimingUniform([rank, inputSize], fanIn: inputSize, using: &generator), requiresGradient: true)
        up = Variable(Tensor.zeros([outputSize, rank]), requiresGradient: true)
        scale = alpha / Float(rank)
    }

    /// `scale * (x A^T) B^T`.
    public func callAsFunction(_ x: Variable) throws -> Variable {
        try x.linear(weight: down, bias: nil).linear(weight: up, bias: nil) * scale
    }

    /// `scale * B A`, `[out, in]`: the update merging adds to the weight.
    public func delta() throws -> Tensor {
        try up.value.matmul(down.value) * scale
    }
}

/// Attaching, saving, loading and merging LoRA adapters on any module's linear layers.
public enum LoRA {
    /// Freezes `model` and attaches a rank-`rank` adapter to every linear layer whose path
    /// matches `targets` (default: all). Returns the paths that got one.
    @discardableResult
    public static func attach(
        to model: Module, rank: Int, alpha: Float, seed: UInt64 = 0, targets: (String) -> Bool = { _ in true }
    ) throws -> [String] {
        guard rank > 0 else { throw ModelError.invalidConfiguration(field: "rank", detail: "must be positive, got \(rank)") }
        model.freeze()
        var generator = SeededGenerator(seed: seed)
        var attached: [String] = []
        for (path, module) in model.namedModules() {
            guard let linear = module as? Linear, targets(path) else { continue }
            linear.adapter = LowRankAdapter(inputSize: linear.inputSize, outputSize: linear.outputSize, rank: rank,
                                            alpha: alpha, generator: &generator)
            attached.append(path)
        }
        if let assignable = model as? DecoderTransformer { assignable.assignParameterNames() }
        return attached
    }

    /// The adapters' parameters (name contains `.adapter.`).
    public static func adapterParameters(of model: Module) -> [(name: String, variable: Variable)] {
        model.namedParameters().filter { $0.name.contains(".adapter.") }
    }

    /// Writes only the adapters to a safetensors file (small; the base model stays as it was).
    public static func saveAdapters(of model: Module, to url: URL, rank: Int, alpha: Float) throws {
        var writer = try SafeTensorsWriter(path: url.path, metadata: ["lora.rank": "\(rank)", "lora.alpha": "\(alpha)"])
        for (name, parameter) in adapterParameters(of: model) {
            try writer.add(name, shape: parameter.shape, values: parameter.value.scalars)
        }
        try writer.write()
    }

    /// Attaches adapters as saved by ``saveAdapters(of:to:rank:alpha:)`` and loads their values.
    public static func loadAdapters(into model: Module, from url: URL) throws {
        let file = try SafeTensorsFile(url: url)
        guard let rank = file.metadata["lora.rank"].flatMap(Int.init), let alpha = file.metadata["lora.alpha"].flatMap(Float.init) else {
            throw ModelError.unsupportedModel(file: url.path, detail: "missing metadata 'lora.rank'/'lora.alpha'")
        }
        let paths = Set(file.names.map { name in name.components(separatedBy: ".adapter.").first ?? name })
        try attach(to: model, rank: rank, alpha: alpha, targets: { paths.contains($0) })
        for (name, parameter) in adapterParameters(of: model) {
            guard file.contains(name) else { throw ModelError.missingTensor(name: name, file: url.path) }
            let info = try file.info(name)
            guard info.shape == parameter.shape else {
                throw ModelError.tensorShapeMismatch(name: name, expected: parameter.shape, found: info.shape, file: url.path)
            }
            try parameter.value.copyInPlace(from: Tensor(shape: info.shape, values: try file.floats(name)))
        }
    }

    /// Adds every adapter's update into its weight and removes the adapters: the merged
    /// model computes the same function with no extra cost at inference.
    public static func merge(_ model: Module) throws {
        for (_, module) in model.namedModules() {
            guard let linear = module as? Linear, let adapter = linear.adapter else { continue }
            try linear.weight.value.addInPlace(adapter.delta())
            linear.adapter = nil
        }
    }
}
