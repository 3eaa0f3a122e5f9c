/// The shape of a decoder-only transformer, covering the GPT-2 and LLaMA flavours.
///
/// Every field has a documented default, so a JSON file needs only the fields it changes.
/// Presets live in `assets/configs/`.
///
/// ```swift
/// var config = DecoderConfiguration()          // GPT-2 style, 4 layers of 256
/// config.flavor = .llama                        // RMSNorm, SwiGLU, RoPE, no biases
/// ```
public struct DecoderConfiguration: Codable, Sendable, Equatable {
    /// Normalisation, feed-forward and position choices in one switch.
    public enum Flavor: String, Codable, Sendable {
        /// Learned positions, LayerNorm with bias, GELU(tanh) MLP, biases, tied head.
        case gpt2
        /// Rotary positions, RMSNorm, SwiGLU MLP, no biases.
        case llama
    }

    /// GPT-2 or LLaMA architecture. Default `gpt2`.
    public var flavor: Flavor = .gpt2
    /// Number of token ids. Default 4096.
    public var vocabularySize = 4096
    /// Longest sequence (learned positions are allocated for it). Default 256.
    public var contextLength = 256
    /// Width of the residual stream C. Default 256.
    public var hiddenSize = 256
    /// Number of transformer blocks. Default 4.
    public var layerCount = 4
    /// Query heads H. Default 8.
    public var headCount = 8
    /// Key/value heads (grouped-query attention); nil = `headCount`.
    public var keyValueHeadCount: Int?
    /// Size of each head D; nil = `hiddenSize / headCount`.
    public var headSize: Int?
    /// Hidden size of the feed-forward block; nil = 4C (GPT-2) or the LLaMA rule
    /// `256 * ceil(8C/3/256)`.
    public var intermediateSize: Int?
    /// Epsilon of the norms. Default 1e-5.
    public var normEpsilon: Float = 1e-5
    /// RoPE base. Default 10,000.
    public var ropeTheta: Float = 10_000
    /// RoPE linear position interpolation factor (positions are divided by it). Default 1.
    public var ropeScale: Float = 1
    /// RoPE NTK-aware scaling factor (the base grows by `factor^(D/(D-2))`). Default 1.
    public var ropeNTKFactor: Float = 1
    /// Whether linear layers have biases; nil = true for GPT-2, false for LLaMA.
    public var bias: Bool?
    /// Whether the output head shares the token embedding matrix. Default true.
    public var tiedEmbeddings = true
    /// Dropout probability during training steps (``DecoderTransformer/trainingGenerator``):
    /// on the input embeddings and each sublayer's output. Default 0.
    public var dropout: Float = 0
    /// A structured (low-rank or block-diagonal) feed-forward block instead of a dense one.
    /// Default nil (dense).
    public var feedForwardStructure: StructuredLinear.Structure?
    /// Train the structured feed-forward block with a dense guide that is annealed away
    /// (self-guided training). Default false.
    public var selfGuidedTraining = false

    /// The defaults listed on each field: a GPT-2 style model, 4 layers of width 256.
    public init() {}

    /// `keyValueHeadCount`, or `headCount` when unset.
    public var resolvedKeyValueHeadCount: Int { keyValueHeadCount ?? headCount }
    /// `headSize`, or `hiddenSize / headCount` when unset.
    public var resolvedHeadSize: Int { headSize ?? hiddenSize / Swift.max(headCount, 1) }
    /// `bias`, or true for GPT-2 and false for LLaMA when unset.
    public var resolvedBias: Bool { bias ?? (flavor == .gpt2) }
    /// `intermediateSize`, or 4C (GPT-2) or `256 * ceil((8C/3) / 256)` (LLaMA) when unset.
    public var resolvedIntermediateSize: Int {
        if let intermediateSize { return intermediateSize }
        switch flavor {
        case .gpt2: return 4 * hiddenSize
        case .llama: return 256 * ((8 * hiddenSize / 3 + 255) / 256)
        }
    }

    /// Throws naming the first field that makes no sense.
    public func validate() throws {
        func check(_ condition: Bool, _ field: String, _ detail: String) throws {
            if !condition { throw ModelError.invalidConfiguration(field: field, detail: detail) }
        }
        try check(vocabularySize > 0, "vocabularySize", "must be positive, got \(vocabularySize)")
        try check(contextLength > 0, "contextLength", "must be positive, got \(contextLength)")
        try check(hiddenSize > 0, "hiddenSize", "must be positive, got \(hiddenSize)")
        try check(layerCount > 0, "layerCount", "must be positive, got \(layerCount)")
        try check(headCount > 0, "headCount", "must be positive, got \(headCount)")
        try checkSize()
        try check(resolvedKeyValueHeadCount > 0 && headCount % resolvedKeyValueHeadCount == 0,
                  "keyValueHeadCount", "\(resolvedKeyValueHeadCount) must divide headCount \(headCount)")
        try check(resolvedHeadSize > 0 && (flavor == .gpt2 || resolvedHeadSize % 2 == 0), "headSize", "must be positive (and even for rotary positions), got \(resolvedHeadSize)")
        try check(resolvedIntermediateSize > 0, "intermediateSize", "must be positive")
        try check(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), got \(dropout)")
        try check(normEpsilon > 0, "normEpsilon", "must be positive")
        try check(ropeScale > 0, "ropeScale", "must be positive")
        try check(ropeNTKFactor >= 1, "ropeNTKFactor", "must be at least 1")
    }

    private enum CodingKeys: String, CodingKey {
        case flavor, vocabularySize, contextLength, hiddenSize, layerCount, headCount, keyValueHeadCount, headSize
        case intermediateSize, normEpsilon, ropeTheta, ropeScale, ropeNTKFactor, bias, tiedEmbeddings, dropout, feedForwardStructure, selfGuidedTraining
    }

    /// Decodes a configuration; absent keys take their defaults, so a file lists only what it changes.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DecoderConfiguration()
        flavor = try c.decodeIfPresent(Flavor.self, forKey: .flavor) ?? d.flavor
        vocabularySize = try c.decodeIfPresent(Int.self, forKey: .vocabularySize) ?? d.vocabularySize
        contextLength = try c.decodeIfPresent(Int.self, forKey: .contextLength) ?? d.contextLength
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? d.hiddenSize
        layerCount = try c.decodeIfPresent(Int.self, forKey: .layerCount) ?? d.layerCount
        headCount = try c.decodeIfPresent(Int.self, forKey: .headCount) ?? d.headCount
        keyValueHeadCount = try c.decodeIfPresent(Int.self, forKey: .keyValueHeadCount)
        headSize = try c.decodeIfPresent(Int.self, forKey: .headSize)
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize)
        normEpsilon = try c.decodeIfPresent(Float.self, forKey: .normEpsilon) ?? d.normEpsilon
        ropeTheta = try c.decodeIfPresent(Float.self, forKey: .ropeTheta) ?? d.ropeTheta
        ropeScale = try c.decodeIfPresent(Float.self, forKey: .ropeScale) ?? d.ropeScale
        ropeNTKFactor = try c.decodeIfPresent(Float.self, forKey: .ropeNTKFactor) ?? d.ropeNTKFactor
        bias = try c.decodeIfPresent(Bool.self, forKey: .bias)
        tiedEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tiedEmbeddings) ?? d.tiedEmbeddings
        dropout = try c.decodeIfPresent(Float.self, forKey: .dropout) ?? d.dropout
        feedForwardStructure = try c.decodeIfPresent(StructuredLinear.Structure.self, forKey: .feedForwardStructure)
        selfGuidedTraining = try c.decodeIfPresent(Bool.self, forKey: .selfGuidedTraining) ?? d.selfGuidedTraining
    }
}
