import ArgumentParser
import Foundation
import NeuralNetworks

/// `--quantize int8`: weight-only int8 inference for commands that run a trained model but
/// have no token-by-token decoding to speed up otherwise (forecasting, image generation,
/// retrieval). ``InferenceOptions`` includes it.
///
/// ```swift
/// @OptionGroup var quantization: QuantizeOption
/// try quantization.prepare(model.transformer)
/// ```
public struct QuantizeOption: ParsableArguments, Sendable {
    /// Weight formats for inference.
    public enum Quantization: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// Float weights, or int8 weights with per-row scales.
        case none, int8
    }

    @Option(help: "Weight format for inference: int8 stores weights in a quarter of the memory and reads a quarter of the bytes per decoded token, at a small cost in accuracy (see BENCHMARKS.md).")
    public var quantize: Quantization = .none

    /// `none` until parsed.
    public init() {}

    /// Applies the weight format to a loaded model (a no-op for `none`).
    public func prepare(_ model: DecoderTransformer) throws {
        if quantize == .int8 {
            let (before, after) = try model.quantizeInt8()
            Console.progress(String(format: "quantised to int8: %.1f MB of weights instead of %.1f MB", Double(after) / 1e6, Double(before) / 1e6))
        }
    }
}

/// Efficient-inference options shared by the generating commands: int8 weights and
/// speculative decoding with a draft model.
///
/// ```swift
/// @OptionGroup var inference: InferenceOptions
/// ```
public struct InferenceOptions: ParsableArguments {
    /// The `--quantize` formats.
    public typealias Quantization = QuantizeOption.Quantization

    /// `--quantize`.
    @OptionGroup public var quantization: QuantizeOption
    /// The `--quantize` format.
    public var quantize: Quantization { quantization.quantize }

    @Option(help: "A small model with the same vocabulary that drafts tokens for the main model to verify (speculative decoding): same output as the main model alone, faster when the draft guesses well.")
    public var draftModel: String?

    @Option(help: "Tokens the draft proposes per verification step (>= 1): more saves target passes when they are accepted, wastes draft work when not.")
    public var lookahead: Int = 4

    @Option(help: "Layer skipping while decoding: 'skipdecode:N' lets later tokens exit after as few as N layers (SkipDecode), 'ffn:C' skips feed-forward blocks whose output is more than C cosine-similar to their input (FFN-SkipLLM). Faster decoding for a small loss in quality (see BENCHMARKS.md).")
    public var skip: String?

    /// The defaults: float weights, no draft, lookahead 4, no skipping.
    public init() {}

    /// Rejects a lookahead below 1, a malformed `--skip`, and `--skip` with `--draft-model`.
    public func validate() throws {
        if lookahead < 1 { throw ValidationError("--lookahead must be at least 1, got \(lookahead)") }
        if skip != nil { _ = try skipMethod(layerCount: 1_000) }
        if skip != nil && draftModel != nil { throw ValidationError("--skip and --draft-model cannot be combined") }
    }

    /// The layer-skipping method `--skip` names, for a model of `layerCount` layers.
    public func skipMethod(layerCount: Int) throws -> LayerSkipping.Method? {
        guard let skip else { return nil }
        let parts = skip.split(separator: ":", maxSplits: 1).map(String.init)
        switch (parts.first, parts.count == 2 ? parts[1] : nil) {
        case ("skipdecode", let value?):
            guard let minimum = Int(value), minimum >= 1 else { throw ValidationError("--skip skipdecode:N needs a layer count N >= 1, got '\(value)'") }
            return .skipDecode(maximumLayers: layerCount, minimumLayers: min(minimum, layerCount), startPosition: 16, endPosition: 128)
        case ("ffn", let value?):
            guard let threshold = Float(value), threshold > 0, threshold <= 1 else { throw ValidationError("--skip ffn:C needs a cosine C in (0, 1], got '\(value)'") }
            return .feedForward(cosineThreshold: threshold, warmupTokens: 8)
        default:
            throw ValidationError("--skip must be 'skipdecode:N' or 'ffn:C', got '\(skip)'")
        }
    }

    /// Applies the weight format to a loaded model.
    public func prepare(_ model: DecoderTransformer) throws {
        try quantization.prepare(model)
    }

    /// The draft model, prepared like the main one, when `--draft-model` is given.
    public func loadDraft() throws -> DecoderTransformer? {
        guard let draftModel else { return nil }
        let draft = try DecoderTransformer.load(from: URL(fileURLWithPath: draftModel, isDirectory: true))
        try prepare(draft)
        return draft
    }
}
