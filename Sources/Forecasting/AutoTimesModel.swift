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

/// The AutoTimes network: segment embedding, a decoder backbone, segment projection.
///
/// Shapes: B windows, N segments, S points per segment, C backbone width, F calendar features.
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let model = try AutoTimesModel(configuration: ForecasterConfiguration(), generator: &generator)
/// let next = try model(segments)      // [B, N, S] -> [B, N, S]
/// ```
public final class AutoTimesModel: Module {
    public let configuration: ForecasterConfiguration
    public let segmentEmbedding: SegmentMap
    public let timestampEmbedding: Linear?
    public let backbone: DecoderTransformer
    public let segmentProjection: SegmentMap

    /// Builds a model: an own freshly initialised decoder, or `backbone` (a loaded LLM kept frozen).
    public init(configuration: ForecasterConfiguration, backbone loaded: DecoderTransformer? = nil,
                generator: inout SeededGenerator) throws {
        try configuration.validate()
        var configuration = configuration
        if let loaded { configuration.backbone = loaded.configuration }
        self.configuration = configuration
        let width = configuration.backbone.hiddenSize
        let hidden = configuration.embeddingHiddenSize ?? width
        segmentEmbedding = SegmentMap(inputSize: configuration.segmentLength, outputSize: width,
                                      kind: configuration.embedding, hiddenSize: hidden, generator: &generator)
        timestampEmbedding = configuration.timestampEmbedding
            ? Linear(inputSize: CalendarFeatures.count, outputSize: width, bias: false, standardDeviation: 0.02, generator: &generator) : nil
        backbone = try loaded ?? DecoderTransformer(configuration: configuration.backbone, generator: &generator)
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
    /// embeddings and projection when the backbone is frozen (AutoTimes trains 0.1% of the LLM's size).
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
    ///   - calendar: `[B, N, F]` calendar features of each segment's first point (needed when
    ///     the model has timestamp embeddings).
    /// - Returns: `[B, N, S]`: position n predicts segment n + 1.
    ///   - positions, mask: position ids `[B][N]` and an attention mask for packed rows of
    ///     several windows (prepacking); default `0..<N` and causal.
    public func callAsFunction(_ segments: Tensor, calendar: Tensor? = nil, positions: [[Int]]? = nil,
                               mask: Attention.Mask? = nil) throws -> Variable {
        guard segments.rank == 3, segments.shape[2] == configuration.segmentLength else {
            throw ForecastError.invalidArgument(name: "segments", detail: "shape \(segments.shape), expected [B, N, \(configuration.segmentLength)]")
        }
        guard segments.shape[1] <= maximumSegments else {
            throw ForecastError.invalidArgument(name: "segments", detail: "\(segments.shape[1]) segments exceed the backbone context of \(maximumSegments)")
        }
        var tokens = try segmentEmbedding(Variable(segments))                 // [B, N, C]
        if let timestampEmbedding {
            guard let calendar, calendar.shape == [segments.shape[0], segments.shape[1], CalendarFeatures.count] else {
                throw ForecastError.invalidArgument(name: "calendar", detail: "this model embeds timestamps; give [B, N, \(CalendarFeatures.count)] features")
            }
            tokens = try tokens + timestampEmbedding(Variable(calendar))
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
