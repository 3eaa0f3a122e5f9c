// Time-LLM: Jin et al. 2023, "Time-LLM: Time Series Forecasting by Reprogramming Large
// Language Models". Sec. 3.1 "Input Embedding": each channel is instance-normalised (RevIN)
// and cut into P overlapping patches of L_p points with stride S, embedded by a linear layer.
// "Patch Reprogramming" (Eq. 1-2, ``TextPrototypeReprogramming``) maps them onto text
// prototypes of the frozen LLM's word embeddings; "Prompt-as-Prefix" (``PromptAsPrefix``)
// puts the embedded prompt in front; "Output Projection": the LLM's outputs at the patch
// positions are cut to their first d_ff channels, flattened and linearly projected to the
// horizon. Only the patch embedding, reprogramming and output projection train (Sec. 3: "the
// backbone model remains intact").

import Autograd
import Foundation
import NeuralNetworks
import Tensors
import Tokenizers

/// The Time-LLM network around a frozen decoder.
///
/// Shapes: B windows, L lookback, H horizon, P patches, L_p patch length, d_m patch width,
/// D backbone width, T prompt tokens.
///
/// ```swift
/// let model = try TimeLLMModel(configuration: configuration, backbone: gpt2, tokenizer: bpe, generator: &generator)
/// let forecast = try model(normalisedWindows)     // [B][L] -> [B, H]
/// ```
public final class TimeLLMModel: Module {
    /// The configuration, with `backbone` replaced by the loaded LLM's own decoder shape.
    public let configuration: ForecasterConfiguration
    /// The frozen pretrained LLM (only LoRA adapters on it, if any, train).
    public let backbone: DecoderTransformer
    /// Patch embedding: L_p points of a patch -> d_m.
    public let patchEmbedding: Linear
    /// Patch reprogramming onto the LLM's text prototypes: `[B, P, d_m] -> [B, P, D]`.
    public let reprogramming: TextPrototypeReprogramming
    /// Output projection: the flattened `P * d_ff` kept channels -> H forecast points.
    public let outputProjection: Linear
    /// The LLM's tokenizer, which encodes the prompts.
    public let tokenizer: any Tokenizer
    /// Builds each window's prompt from the configured dataset description, L and H.
    public let prompt: PromptAsPrefix

    /// A freshly initialised Time-LLM around `backbone`.
    ///
    /// - Parameters:
    ///   - configuration: its ``ForecasterConfiguration/timeLLM`` gives the shape.
    ///   - backbone: the loaded LLM; it is frozen here.
    ///   - tokenizer: the LLM's tokenizer (its ids must index the LLM's embeddings).
    ///   - generator: initialises the trained layers.
    /// - Throws: ``ForecastError/invalidArgument(name:detail:)`` for an invalid Time-LLM shape,
    ///   an output width above the backbone's, a lookback leaving no room for a prompt, or a
    ///   tokenizer larger than the backbone's vocabulary.
    public init(configuration: ForecasterConfiguration, backbone: DecoderTransformer, tokenizer: any Tokenizer,
                generator: inout SeededGenerator) throws {
        let settings = configuration.timeLLM
        try settings.validate()
        var configuration = configuration
        configuration.backbone = backbone.configuration
        let width = backbone.configuration.hiddenSize
        guard settings.outputWidth <= width else {
            throw ForecastError.invalidArgument(name: "timeLLM.outputWidth", detail: "\(settings.outputWidth) exceeds the backbone width \(width)")
        }
        guard settings.patchCount < backbone.configuration.contextLength else {
            throw ForecastError.invalidArgument(name: "timeLLM.lookback", detail: "\(settings.patchCount) patches leave no room for a prompt in the backbone's context of \(backbone.configuration.contextLength)")
        }
        guard tokenizer.vocabularySize <= backbone.configuration.vocabularySize else {
            throw ForecastError.invalidArgument(name: "tokenizer", detail: "it has \(tokenizer.vocabularySize) tokens but the backbone embeds only \(backbone.configuration.vocabularySize); give the backbone's own tokenizer")
        }
        self.configuration = configuration
        self.backbone = backbone
        backbone.freeze()
        self.tokenizer = tokenizer
        prompt = PromptAsPrefix(description: settings.datasetDescription, lookback: settings.lookback, horizon: settings.horizon)
        patchEmbedding = Linear(inputSize: settings.patchLength, outputSize: settings.patchWidth, generator: &generator)
        reprogramming = try TextPrototypeReprogramming(
            wordEmbeddings: backbone.embedding.weight.value,
            prototypeCount: min(settings.prototypeCount, backbone.configuration.vocabularySize),
            patchWidth: settings.patchWidth, headCount: settings.headCount, headWidth: settings.headWidth, generator: &generator)
        outputProjection = Linear(inputSize: settings.patchCount * settings.outputWidth, outputSize: settings.horizon, generator: &generator)
        assignParameterNames()
    }

    /// Everything but the frozen backbone's own weights (it is read from its folder, never
    /// saved); LoRA adapters on it, if any, are included.
    public var trainableParameters: [Variable] {
        namedParameters().filter { !$0.name.hasPrefix("backbone.") || $0.name.contains(".adapter.") }.map(\.variable)
    }

    /// The patches of normalised windows, `[B, P, L_p]`, after padding each window with S
    /// copies of its last point.
    public func patches(_ windows: [[Float]]) throws -> Tensor {
        let settings = configuration.timeLLM
        let (length, stride, count) = (settings.patchLength, settings.patchStride, settings.patchCount)
        var values = [Float](); values.reserveCapacity(windows.count * count * length)
        for window in windows {
            guard window.count == settings.lookback else {
                throw ForecastError.invalidArgument(name: "windows", detail: "a window has \(window.count) points, expected \(settings.lookback)")
            }
            let padded = window + [Float](repeating: window[window.count - 1], count: stride)
            for p in 0..<count { values += padded[(p * stride)..<(p * stride + length)] }
        }
        return Tensor(shape: [windows.count, count, length], values: values)
    }

    /// Prompt token ids per window: each prompt keeps its last tokens when it would not fit
    /// in the backbone's context beside the patches (or exceeds `maximumPromptTokens`).
    public func promptTokens(_ windows: [[Float]]) throws -> [[Int]] {
        let settings = configuration.timeLLM
        let room = min(backbone.configuration.contextLength - settings.patchCount, settings.maximumPromptTokens ?? .max)
        return try windows.map { Array(try tokenizer.encode(prompt.text(for: $0)).suffix(room)) }
    }

    /// Forecasts `[B, H]` (normalised) for normalised windows of L points.
    public func callAsFunction(_ windows: [[Float]]) throws -> Variable {
        let settings = configuration.timeLLM
        let p = settings.patchCount
        let patchTokens = try reprogramming(patchEmbedding(Variable(patches(windows))))           // [B, P, D]
        let prompts = try promptTokens(windows)
        let longest = prompts.map(\.count).max() ?? 0
        // Prompts of different lengths are padded on the left and masked out, with
        // positions starting at each prompt's first token.
        let padding = prompts.map { longest - $0.count }
        let ids = zip(prompts, padding).map { [Int](repeating: 0, count: $1) + $0 }
        let promptEmbeddings = try backbone.embedding(ids)                                        // [B, T, D]
        let input = try Variable.concatenate([promptEmbeddings, patchTokens], axis: 1)            // [B, T + P, D]
        let total = longest + p
        var positions: [[Int]]?, mask: Attention.Mask?
        if padding.contains(where: { $0 > 0 }) {
            positions = padding.map { pad in (0..<total).map { max(0, $0 - pad) } }
            var values = [Float](repeating: -.infinity, count: windows.count * total * total)
            for (b, pad) in padding.enumerated() {
                for query in 0..<total {
                    for key in 0...query where key >= pad || key == query { values[(b * total + query) * total + key] = 0 }
                }
            }
            mask = .additive(Tensor(shape: [windows.count, total, total], values: values))
        }
        let hidden = try backbone.hiddenStates(.embeddings(input), positions: positions, mask: mask)   // [B, T + P, D]
        let kept = try hidden.sliced(axis: 1, range: longest..<total).sliced(axis: 2, range: 0..<settings.outputWidth)
        return try outputProjection(kept.reshaped([windows.count, p * settings.outputWidth]))        // [B, H]
    }
}
