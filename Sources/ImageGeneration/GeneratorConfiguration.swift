import NeuralNetworks

/// The shape of a class-conditional generator over image tokens.
///
/// The transformer sees `1 + positionCount` slots: a class token, then one slot per grid
/// position whose input is the sum of its sub-token embeddings (ELM, Liu et al. 2024,
/// section 3.2) and whose output has one head per sub-token.
public struct GeneratorConfiguration: Codable, Sendable, Equatable {
    /// How tokens are predicted.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Next-position prediction in raster order, causal attention.
        case autoregressive = "ar"
        /// Masked prediction with bidirectional attention and MaskGIT iterative decoding.
        case masked = "mlm"
    }

    /// Default `.autoregressive`.
    public var kind: Kind = .autoregressive
    /// Number of classes; class id `classCount` is the "no class" token of guidance. Default 10.
    public var classCount = 10
    /// Grid positions per image. Default 49 (7x7).
    public var positionCount = 49
    /// Sub-tokens per position. Default 2.
    public var subTokenCount = 2
    /// Values of one sub-token. Default 256.
    public var subVocabularySize = 256
    /// Probability of replacing the class with "no class" during training (classifier-free
    /// guidance, Ho & Salimans 2022). Default 0.1.
    public var classDropout: Float = 0.1
    /// The transformer (its own token table is unused: inputs come as embeddings).
    public var decoder: DecoderConfiguration

    /// The defaults above with a 4-layer, width-128, 4-head decoder whose context (50) holds the
    /// class slot and the 49 positions.
    public init() {
        var decoder = DecoderConfiguration()
        decoder.vocabularySize = 1
        decoder.contextLength = 50
        decoder.hiddenSize = 128
        decoder.layerCount = 4
        decoder.headCount = 4
        self.decoder = decoder
    }

    /// A configuration matching a tokenizer's grid and vocabulary.
    public init(kind: Kind, tokenizer: TokenizerConfiguration, classCount: Int, hiddenSize: Int = 128, layerCount: Int = 4, headCount: Int = 4) {
        self.init()
        self.kind = kind
        self.classCount = classCount
        positionCount = tokenizer.positionCount
        subTokenCount = tokenizer.subTokenCount
        subVocabularySize = tokenizer.subVocabularySize
        decoder.contextLength = positionCount + 1
        decoder.hiddenSize = hiddenSize
        decoder.layerCount = layerCount
        decoder.headCount = headCount
    }

    /// Throws naming the first field that makes no sense.
    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ detail: String) throws {
            if !ok { throw ImageDataError.invalidArgument(detail: "generator configuration: \(field): \(detail)") }
        }
        try check(classCount > 0, "classCount", "must be positive")
        try check(positionCount > 0, "positionCount", "must be positive")
        try check(subTokenCount > 0, "subTokenCount", "must be positive")
        try check(subVocabularySize > 1, "subVocabularySize", "must be at least 2")
        try check(classDropout >= 0 && classDropout < 1, "classDropout", "must be in [0, 1)")
        try check(decoder.contextLength >= positionCount + 1, "decoder.contextLength", "must be at least positionCount + 1 = \(positionCount + 1)")
        try decoder.validate()
    }
}
