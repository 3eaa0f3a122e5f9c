import Autograd
import FileIO
import Foundation
import SafeTensors
import Tensors

/// Loading and saving weights: Hugging Face GPT-2 and LLaMA folders as they are, and the
/// project's own checkpoints (`config.json` + `model.safetensors`, with a format version and
/// a checksum).
extension DecoderTransformer {
    /// The `model_type` written into the project's own `config.json`.
    public static let checkpointModelType = "nexttoken-decoder"
    /// Version of the project's checkpoint layout.
    public static let checkpointFormatVersion = 1

    /// Loads a model from a folder holding `config.json` and `model.safetensors` (or a
    /// sharded index): a Hugging Face GPT-2 or LLaMA checkpoint, or one this project wrote.
    ///
    /// - Throws: ``ModelError`` naming the file and the tensor or field at fault (a missing
    ///   tensor, a shape that does not match the configuration, an unsupported architecture);
    ///   `SafeTensorsError` for a damaged weights file.
    ///
    /// - Parameter adjust: changes to the stored configuration that keep every tensor's shape
    ///   (a longer `contextLength` for a rotary model, RoPE scaling factors).
    public static func load(from directory: URL, adjusting adjust: ((inout DecoderConfiguration) -> Void)? = nil) throws -> DecoderTransformer {
        let configURL = directory.appendingPathComponent(CheckpointFolder.configFileName)
        let json = try readJSONObject(configURL)
        let modelType = json["model_type"] as? String ?? ""
        var configuration = try DecoderConfiguration(checkpointObject: json, file: configURL.path)
        let storedLayerCount = configuration.layerCount
        adjust?(&configuration)
        let weights = try CheckpointFolder(directory: directory).openWeights()
        // First whether the sizes match the weights (an error naming config.json), then the rest.
        try configuration.checkFits(weights, configFile: configURL.path)
        try configuration.validate()
        var generator = SeededGenerator(seed: 0)
        let model = try DecoderTransformer(configuration: configuration, generator: &generator)
        let file = (try? CheckpointFolder(directory: directory).weightsFiles().first?.path) ?? directory.path
        let mapping = modelType == checkpointModelType ? nil : WeightNames(flavor: configuration.flavor, available: Set(weights.names))
        for (name, parameter) in model.namedParameters() {
            let tensor = try mapping?.load(name, configuration: configuration, from: weights, file: file)
                ?? loadTensor(name, from: weights, file: file)
            guard tensor.shape == parameter.shape else {
                throw ModelError.tensorShapeMismatch(name: mapping?.sourceName(name) ?? name, expected: parameter.shape, found: tensor.shape, file: file)
            }
            try parameter.value.copyInPlace(from: tensor)
        }
        if mapping == nil {
            // The project's own checkpoints hold exactly the model's parameters: a tensor left
            // over means config.json describes a smaller model than the weights (fewer layers).
            // Layers that `adjust` dropped on purpose (an early-exit model) are not left over.
            let expected = Set(model.namedParameters().map(\.name))
            let dropped = (configuration.layerCount..<max(storedLayerCount, configuration.layerCount)).map { "blocks.\($0)." }
            let extra = weights.names.filter { name in !expected.contains(name) && !dropped.contains { name.hasPrefix($0) } }.sorted()
            if let first = extra.first {
                throw ModelError.unsupportedModel(
                    file: configURL.path,
                    detail: "has layerCount \(configuration.layerCount), but the weights hold \(extra.count) tensor(s) it has no place for (first '\(first)'); the configuration does not belong to these weights")
            }
        }
        return model
    }

    /// Writes `config.json` and `model.safetensors` into `directory` (created if needed).
    ///
    /// - Parameter halfPrecision: store weights as F16 (half the size; loads back as F32).
    public func save(to directory: URL, halfPrecision: Bool = false, extraConfiguration: [String: Any] = [:]) throws {
        if quantizedHead != nil || namedModules().contains(where: { ($0.module as? Linear)?.quantized != nil }) {
            throw ModelError.invalidInput(detail: "an int8-quantised model is not saved: keep the float checkpoint and quantise it when loading")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var writer = try SafeTensorsWriter(path: directory.appendingPathComponent(CheckpointFolder.weightsFileName).path)
        for (name, parameter) in namedParameters() {
            try writer.add(name, shape: parameter.shape, values: parameter.value.scalars, as: halfPrecision ? .f16 : .f32)
        }
        try writer.write()
        let decoder = try JSONSerialization.jsonObject(with: JSONEncoder().encode(configuration))
        var json: [String: Any] = ["model_type": Self.checkpointModelType, "format_version": Self.checkpointFormatVersion, "decoder": decoder]
        for (key, value) in extraConfiguration { json[key] = value }
        let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
        try AtomicWrite.data(data, to: directory.appendingPathComponent(CheckpointFolder.configFileName))
    }

    static func readJSONObject(_ url: URL) throws -> [String: Any] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelError.unsupportedModel(file: url.path, detail: "cannot read the file (\(error.localizedDescription))")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelError.unsupportedModel(file: url.path, detail: "not a JSON object")
        }
        return object
    }

    static func loadTensor(_ name: String, from weights: SafeTensorsCheckpoint, file: String) throws -> Tensor {
        guard weights.contains(name) else { throw ModelError.missingTensor(name: name, file: file) }
        return Tensor(shape: try weights.info(name).shape, values: try weights.floats(name))
    }
}

/// Maps the project's parameter paths to Hugging Face tensor names and layouts.
struct WeightNames {
    let flavor: DecoderConfiguration.Flavor
    /// GPT-2 checkpoints name tensors with or without `transformer.` (older hub layout).
    let prefix: String

    init(flavor: DecoderConfiguration.Flavor, available: Set<String>) {
        self.flavor = flavor
        prefix = flavor == .gpt2 ? (available.contains("transformer.wte.weight") ? "transformer." : "") : "model."
    }

    /// The source tensor's name for a parameter path (for error messages).
    func sourceName(_ name: String) -> String { sources(name).first ?? name }

    /// The Hugging Face tensor(s) behind one of our parameters; LLaMA's fused QKV has three.
    func sources(_ name: String) -> [String] {
        let parts = name.split(separator: ".").map(String.init)
        let p = prefix
        switch flavor {
        case .gpt2:
            switch name {
            case "embedding.weight": return [p + "wte.weight"]
            case "positionEmbedding.weight": return [p + "wpe.weight"]
            case "finalNorm.weight": return [p + "ln_f.weight"]
            case "finalNorm.bias": return [p + "ln_f.bias"]
            case "outputHead.weight": return ["lm_head.weight"]
            default: break
            }
            guard parts.count >= 4, parts[0] == "blocks" else { return [name] }
            let layer = p + "h.\(parts[1])."
            let leaf = parts.last!
            switch parts[2...].dropLast().joined(separator: ".") {
            case "attentionNorm": return [layer + "ln_1." + leaf]
            case "feedForwardNorm": return [layer + "ln_2." + leaf]
            case "attention.qkv": return [layer + "attn.c_attn." + leaf]
            case "attention.output": return [layer + "attn.c_proj." + leaf]
            case "feedForward.up": return [layer + "mlp.c_fc." + leaf]
            case "feedForward.down": return [layer + "mlp.c_proj." + leaf]
            default: return [name]
            }
        case .llama:
            switch name {
            case "embedding.weight": return [p + "embed_tokens.weight"]
            case "finalNorm.weight": return [p + "norm.weight"]
            case "outputHead.weight": return ["lm_head.weight"]
            default: break
            }
            guard parts.count >= 4, parts[0] == "blocks" else { return [name] }
            let layer = p + "layers.\(parts[1])."
            let leaf = parts.last!
            switch parts[2...].dropLast().joined(separator: ".") {
            case "attentionNorm": return [layer + "input_layernorm." + leaf]
            case "feedForwardNorm": return [layer + "post_attention_layernorm." + leaf]
            case "attention.qkv": return ["q_proj", "k_proj", "v_proj"].map { layer + "self_attn.\($0)." + leaf }
            case "attention.output": return [layer + "self_attn.o_proj." + leaf]
            case "feedForward.up": return [layer + "mlp.up_proj." + leaf]
            case "feedForward.gate": return [layer + "mlp.gate_proj." + leaf]
            case "feedForward.down": return [layer + "mlp.down_proj." + leaf]
            default: return [name]
            }
        }
    }

    /// Reads one parameter in our layout: GPT-2's Conv1D matrices are `[in, out]` and are
    /// transposed to `[out, in]`; LLaMA's q, k, v are stacked into one QKV matrix.
    func load(_ name: String, configuration: DecoderConfiguration, from weights: SafeTensorsCheckpoint, file: String) throws -> Tensor {
        let names = sources(name)
        let tensors = try names.map { try DecoderTransformer.loadTensor($0, from: weights, file: file) }
        if tensors.count > 1 { return try Tensor.concatenate(tensors, axis: 0) }
        let tensor = tensors[0]
        let isConv1D = flavor == .gpt2 && tensor.rank == 2 && name.hasPrefix("blocks.") && name.hasSuffix(".weight")
        return isConv1D ? try tensor.transposed(0, 1).contiguous() : tensor
    }
}
