import NeuralNetworks

/// Everything that shapes a forecaster, saved as `forecaster.json` beside its weights.
///
/// Defaults follow AutoTimes (Liu et al. 2024, Sec. 4.1): segments of 96 points, a context
/// of 7 segments (lookback 672), a linear segment embedding and projection. The own
/// backbone defaults to a small LLaMA-flavour decoder (rotary positions, so any number of
/// segments up to its context fits); `vocabularySize` is 1 because the token table is unused.
///
/// ```swift
/// var configuration = ForecasterConfiguration()
/// configuration.segmentLength = 24
/// configuration.embedding = .mlp
/// ```
public struct ForecasterConfiguration: Codable, Sendable, Equatable {
    /// How segments enter and leave the backbone.
    public enum EmbeddingKind: String, Codable, Sendable, CaseIterable {
        /// One linear map `S -> C` (and `C -> S` for the projection).
        case linear
        /// One hidden layer with GELU (AutoTimes' MLP variant).
        case mlp
    }

    /// AutoTimes or Time-LLM. Default `autotimes`.
    public var method: ForecastMethod = .autotimes
    /// Time-LLM's shape (used when ``method`` is `.timeLLM`).
    public var timeLLM = TimeLLMConfiguration()
    /// Points per segment (token), S. Default 96.
    public var segmentLength = 96
    /// Segments the model sees at most (its lookback is `segmentLength * contextSegments`). Default 7.
    public var contextSegments = 7
    /// Segment embedding and projection kind. Default `linear`.
    public var embedding: EmbeddingKind = .linear
    /// Hidden width of the MLP embedding; nil = the backbone width. Default nil.
    public var embeddingHiddenSize: Int?
    /// Dropout on the segment embeddings entering the backbone and on the hidden states
    /// entering the projection, during training only (AutoTimes). Default 0.
    public var dropout: Float = 0
    /// Adds timestamp position embeddings to the segment embeddings (AutoTimes Sec. 3.2). Default false.
    public var timestampEmbedding = false
    /// Where the timestamp embeddings come from (used when ``timestampEmbedding`` is true).
    /// Default `calendar`; `forecast train --timestamps --backbone DIR` picks `llmText`.
    public var timestampSource: TimestampSource = .calendar
    /// The decoder (ignored when ``frozenBackbone`` is set: the folder's own configuration wins).
    public var backbone: DecoderConfiguration
    /// A Hugging Face GPT-2/LLaMA folder whose weights stay frozen; nil = train an own decoder.
    public var frozenBackbone: String?
    /// Low-rank adapters on the frozen backbone's linear layers (LoRA, Hu et al. 2021), which
    /// then train too; nil = none. Needs ``frozenBackbone``. Default nil.
    public var lora: LoRASettings?
    /// The frequency of the training data (informational; decides nothing at prediction time).
    public var trainedFrequency: String?

    /// The AutoTimes defaults above with a small own LLaMA-flavour backbone (3 layers, width 128,
    /// 4 heads, MLP 256, context 64 segments).
    public init() {
        var decoder = DecoderConfiguration()
        decoder.flavor = .llama
        decoder.vocabularySize = 1
        decoder.contextLength = 64
        decoder.hiddenSize = 128
        decoder.layerCount = 3
        decoder.headCount = 4
        decoder.intermediateSize = 256
        backbone = decoder
    }

    /// Throws naming the first field that makes no sense.
    public func validate() throws {
        func check(_ condition: Bool, _ field: String, _ detail: String) throws {
            if !condition { throw ForecastError.invalidArgument(name: field, detail: detail) }
        }
        try check((1...Forecaster.maximumHorizon).contains(segmentLength), "segmentLength",
                  "must be in 1...\(Forecaster.maximumHorizon), got \(segmentLength)")
        try check((1...65_536).contains(contextSegments), "contextSegments", "must be in 1...65536, got \(contextSegments)")
        try check((1...65_536).contains(embeddingHiddenSize ?? 1), "embeddingHiddenSize", "must be in 1...65536")
        try check(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), got \(dropout)")
        if frozenBackbone == nil { try backbone.validate() }
        if let lora {
            try check(frozenBackbone != nil, "lora", "adapters go on a frozen pretrained backbone (--backbone DIR)")
            try check(lora.rank >= 1, "lora.rank", "must be >= 1, got \(lora.rank)")
            try check(lora.alpha > 0 && lora.alpha.isFinite, "lora.alpha", "must be > 0, got \(lora.alpha)")
        }
        if timestampEmbedding && timestampSource == .llmText {
            try check(frozenBackbone != nil, "timestampSource", "llm-text embeds timestamps with a pretrained LLM; give --backbone DIR")
        }
        if method == .timeLLM {
            try check(frozenBackbone != nil, "frozenBackbone", "time-llm needs a pretrained LLM folder (--backbone DIR)")
            try timeLLM.validate()
        }
    }

    private enum CodingKeys: String, CodingKey {
        case method, timeLLM, segmentLength, contextSegments, embedding, embeddingHiddenSize, dropout, timestampEmbedding, timestampSource, backbone, frozenBackbone, trainedFrequency, lora
    }

    /// Decodes; missing fields keep their defaults.
    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        method = try c.decodeIfPresent(ForecastMethod.self, forKey: .method) ?? method
        timeLLM = try c.decodeIfPresent(TimeLLMConfiguration.self, forKey: .timeLLM) ?? timeLLM
        segmentLength = try c.decodeIfPresent(Int.self, forKey: .segmentLength) ?? segmentLength
        contextSegments = try c.decodeIfPresent(Int.self, forKey: .contextSegments) ?? contextSegments
        embedding = try c.decodeIfPresent(EmbeddingKind.self, forKey: .embedding) ?? embedding
        embeddingHiddenSize = try c.decodeIfPresent(Int.self, forKey: .embeddingHiddenSize)
        dropout = try c.decodeIfPresent(Float.self, forKey: .dropout) ?? dropout
        timestampEmbedding = try c.decodeIfPresent(Bool.self, forKey: .timestampEmbedding) ?? timestampEmbedding
        timestampSource = try c.decodeIfPresent(TimestampSource.self, forKey: .timestampSource) ?? timestampSource
        backbone = try c.decodeIfPresent(DecoderConfiguration.self, forKey: .backbone) ?? backbone
        frozenBackbone = try c.decodeIfPresent(String.self, forKey: .frozenBackbone)
        trainedFrequency = try c.decodeIfPresent(String.self, forKey: .trainedFrequency)
        lora = try c.decodeIfPresent(LoRASettings.self, forKey: .lora)
    }
}

/// The source of AutoTimes' timestamp position embeddings.
public enum TimestampSource: String, Codable, Sendable, CaseIterable {
    /// Six calendar features of each segment's first point through a learned linear map (no LLM).
    case calendar
    /// The frozen LLM's last hidden state for "This is Time Series from A to B" (the paper's
    /// method, Liu et al. 2024 Sec. 3.2), added as it is; nothing extra trains.
    case llmText = "llm-text"

    /// A phrase for progress lines.
    public var summary: String {
        switch self {
        case .calendar: return "calendar features"
        case .llmText: return "LLM text embeddings (\"This is Time Series from A to B\")"
        }
    }
}

/// Rank and scale of LoRA adapters (Hu et al. 2021, Sec. 4.1: the update is `(alpha / r) B A`).
public struct LoRASettings: Codable, Sendable, Equatable {
    /// r, the adapters' inner width.
    public var rank: Int
    /// alpha; the update is scaled by alpha / r. Default: equal to the rank (scale 1).
    public var alpha: Float

    /// Adapters of rank `rank`; `alpha` defaults to `rank` (update scale 1).
    public init(rank: Int, alpha: Float? = nil) {
        self.rank = rank
        self.alpha = alpha ?? Float(rank)
    }
}
