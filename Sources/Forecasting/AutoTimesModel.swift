// AutoTimes: Liu et al. 2024, "AutoTimes: Autoregressive Time Series Forecasters via Large
// Language Models". Sec. 3.1: a series is cut into segments of S points, each segment is a
// token embedded by SegmentEmbedding (Eq. 3), optionally plus a timestamp position embedding
// (Sec. 3.2, Eq. 4), the decoder runs causally over the tokens, and SegmentProjection
// (Eq. 5) maps every hidden state to the next segment; training minimises the next-segment
// MSE at every position (Eq. 6). Inference rolls autoregressively (Sec. 3.3).

import Autograd
import Foundation
import NeuralNetworks
import Tensors
import Tokenizers

/// The AutoTimes network: segment embedding, a decoder backbone, segment projection.
///
/// Shapes: B windows, N segments, S points per segment, C backbone width, F timestamp
/// features per segment (6 calendar features, or C for the LLM's text embeddings).
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let model = try AutoTimesModel(configuration: ForecasterConfiguration(), generator: &generator)
/// let next = try model(segments)      // [B, N, S] -> [B, N, S]
/// ```
public final class AutoTimesModel: Module {
    /// The validated configuration; with a loaded backbone its `backbone` field is that model's own.
    public let configuration: ForecasterConfiguration
    /// SegmentEmbedding (Eq. 3): one segment of S normalised points to a backbone vector of width C.
    public let segmentEmbedding: SegmentMap
    /// The learned map of calendar features (timestamp source `calendar`).
    public let timestampEmbedding: Linear?
    /// The frozen LLM's embeddings of timestamp texts (timestamp source `llmText`).
    public let timestampText: TimestampTextEmbedding?
    /// The causal decoder over segment tokens: freshly initialised, or a loaded LLM kept frozen.
    public let backbone: DecoderTransformer
    /// SegmentProjection (Eq. 5): a hidden state of width C to the next segment's S points.
    public let segmentProjection: SegmentMap

    /// Builds a model: an own freshly initialised decoder, or `backbone` (a loaded LLM kept frozen).
    ///
    /// - Parameters:
    ///   - timestampTokenizer: the LLM's tokenizer, needed when the configuration embeds
    ///     timestamps as LLM text (``TimestampSource/llmText``).
    ///   - timestampBackbone: the LLM that embeds the timestamp texts; nil = `backbone` (give a
    ///     separate unadapted copy when LoRA adapters will train on `backbone`).
    public init(configuration: ForecasterConfiguration, backbone loaded: DecoderTransformer? = nil,
                timestampTokenizer: (any Tokenizer)? = nil, timestampBackbone: DecoderTransformer? = nil,
                generator: inout SeededGenerator) throws {
        try configuration.validate()
        var configuration = configuration
        if let loaded { configuration.backbone = loaded.configuration }
        self.configuration = configuration
        let width = configuration.backbone.hiddenSize
        let hidden = configuration.embeddingHiddenSize ?? width
        segmentEmbedding = SegmentMap(inputSize: configuration.segmentLength, outputSize: width,
                                      kind: configuration.embedding, hiddenSize: hidden, generator: &generator)
        let textTimestamps = configuration.timestampEmbedding && configuration.timestampSource == .llmText
        timestampEmbedding = configuration.timestampEmbedding && !textTimestamps
            ? Linear(inputSize: CalendarFeatures.count, outputSize: width, bias: false, standardDeviation: 0.02, generator: &generator) : nil
        backbone = try loaded ?? DecoderTransformer(configuration: configuration.backbone, generator: &generator)
        if textTimestamps {
            guard let loaded, let timestampTokenizer else {
                throw ForecastError.invalidArgument(name: "timestampSource", detail: "llm-text needs a frozen pretrained backbone and its tokenizer")
            }
            timestampText = try TimestampTextEmbedding(backbone: timestampBackbone ?? loaded, tokenizer: timestampTokenizer)
        } else {
            timestampText = nil
        }
        // A loaded LLM stays frozen: no gradients are computed for its weights.
        if loaded != nil { backbone.freeze() }
        segmentProjection = SegmentMap(inputSize: width, outputSize: configuration.segmentLength,
                                       kind: configuration.embedding, hiddenSize: hidden, generator: &generator)
        assignParameterNames()
    }

    /// Draws dropout masks while a training step runs (set by the trainer); nil = inference,
    /// no dropout.
    public var trainingGenerator: SeededGenerator?

    /// Whether the backbone is a frozen pretrained model.
    public var isBackboneFrozen: Bool { configuration.frozenBackbone != nil }

    /// The parameters that train: everything but the unused token table, and only the
    /// embeddings and projection (with the calendar timestamp map and any LoRA adapters)
    /// when the backbone is frozen (AutoTimes trains 0.1% of the LLM's size).
    public var trainableParameters: [Variable] {
        namedParameters().filter { name, _ in
            guard name.hasPrefix("backbone.") else { return true }
            if name.contains(".adapter.") { return true }
            return !isBackboneFrozen && name != "backbone.embedding.weight" && name != "backbone.outputHead.weight"
        }.map(\.variable)
    }

    /// Every parameter saved in the model file (the frozen backbone is read from its folder).
    public var savedParameters: [Variable] {
        namedParameters().filter { name, _ in !isBackboneFrozen || !name.hasPrefix("backbone.") }.map(\.variable)
    }

    /// Predicted next segments for normalised segments.
    ///
    /// - Parameters:
    ///   - segments: `[B, N, S]`, already instance-normalised.
    ///   - timestamps: `[B, N, F]` timestamp features of each segment from
    ///     ``timestampFeatures(_:frequency:)`` (needed when the model embeds timestamps).
    ///   - positions, mask: position ids `[B][N]` and an attention mask for packed rows of
    ///     several windows (prepacking); default `0..<N` and causal.
    /// - Returns: `[B, N, S]`: position n predicts segment n + 1.
    /// - Throws: ``ForecastError/invalidArgument(name:detail:)`` for a wrong segment shape,
    ///   more segments than the backbone's context, or missing timestamp features.
    public func callAsFunction(_ segments: Tensor, timestamps: Tensor? = nil, positions: [[Int]]? = nil,
                               mask: Attention.Mask? = nil) throws -> Variable {
        guard segments.rank == 3, segments.shape[2] == configuration.segmentLength else {
            throw ForecastError.invalidArgument(name: "segments", detail: "shape \(segments.shape), expected [B, N, \(configuration.segmentLength)]")
        }
        guard segments.shape[1] <= maximumSegments else {
            throw ForecastError.invalidArgument(name: "segments", detail: "\(segments.shape[1]) segments exceed the backbone context of \(maximumSegments)")
        }
        var tokens = try segmentEmbedding(Variable(segments))                 // [B, N, C]
        if configuration.timestampEmbedding {
            guard let timestamps, timestamps.shape == [segments.shape[0], segments.shape[1], timestampFeatureCount] else {
                throw ForecastError.invalidArgument(name: "timestamps", detail: "this model embeds timestamps; give [B, N, \(timestampFeatureCount)] features")
            }
            // Eq. 4: calendar features pass a learned map; the LLM's TE_i is added as it is.
            tokens = try tokens + (timestampEmbedding.map { try $0(Variable(timestamps)) } ?? Variable(timestamps))
        }
        tokens = try drop(tokens)
        let hidden = try drop(backbone.hiddenStates(.embeddings(tokens), positions: positions, mask: mask))   // [B, N, C]
        return try segmentProjection(hidden)                                  // [B, N, S]
    }

    private func drop(_ x: Variable) throws -> Variable {
        guard configuration.dropout > 0, var generator = trainingGenerator else { return x }
        defer { trainingGenerator = generator }
        return try x.dropout(probability: configuration.dropout, training: true, using: &generator)
    }

    /// The most segments one forward pass may take.
    public var maximumSegments: Int { backbone.configuration.contextLength }
}
