import Foundation

/// The sizes of a BERT encoder, read from a Hugging Face `config.json` with `model_type`
/// `"bert"` (`BertModel`, as sentence-transformers models such as all-MiniLM-L6-v2 ship it).
///
/// Only what ``BertEncoder`` computes exactly is accepted: absolute positions, the exact
/// (erf) GELU that Hugging Face calls `"gelu"`, an encoder (not a decoder). Anything else is
/// refused with the field named.
public struct BertEncoderConfiguration: Sendable, Equatable, Codable {
    /// Vocabulary entries (rows of the word embedding).
    public var vocabularySize: Int
    /// Width of every hidden state C.
    public var hiddenSize: Int
    /// Transformer blocks.
    public var layerCount: Int
    /// Attention heads; C is a multiple of it.
    public var headCount: Int
    /// Width of the feed-forward layer.
    public var intermediateSize: Int
    /// Rows of the position embedding: the longest input.
    public var maximumPositions: Int
    /// Rows of the token-type (segment) embedding.
    public var typeVocabularySize: Int
    /// Added to the variance in every layer norm.
    public var layerNormEpsilon: Float

    /// A configuration with every size given.
    public init(vocabularySize: Int, hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int,
                maximumPositions: Int, typeVocabularySize: Int = 2, layerNormEpsilon: Float = 1e-12) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.maximumPositions = maximumPositions
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// Size of one attention head.
    public var headSize: Int { hiddenSize / headCount }

    /// Reads a Hugging Face BERT `config.json`.
    ///
    /// - Throws: ``ModelError/unsupportedModel(file:detail:)`` naming the file and the field
    ///   that is missing, mistyped or a setting not implemented (a `model_type` other than
    ///   `"bert"`, `hidden_act` other than `"gelu"`, relative positions, a decoder).
    public static func read(from file: URL) throws -> BertEncoderConfiguration {
        let json = try DecoderTransformer.readJSONObject(file)
        let path = file.path
        func number(_ key: String) throws -> NSNumber? {
            guard let raw = json[key], !(raw is NSNull) else { return nil }
            guard let number = raw as? NSNumber else {
                throw ModelError.unsupportedModel(file: path, detail: "field '\(key)' is not a number")
            }
            return number
        }
        func required(_ key: String) throws -> Int {
            guard let value = try number(key) else { throw ModelError.unsupportedModel(file: path, detail: "missing field '\(key)'") }
            guard let integer = Int(exactly: value.doubleValue), integer > 0 else {
                throw ModelError.unsupportedModel(file: path, detail: "field '\(key)' is \(value); expected a positive integer")
            }
            return integer
        }
        func string(_ key: String) -> String? { json[key] as? String }
        let modelType = string("model_type") ?? ""
        guard modelType == "bert" else {
            let found = modelType.isEmpty ? "missing" : "'\(modelType)'"
            throw ModelError.unsupportedModel(file: path, detail: "field 'model_type' is \(found); a BERT encoder folder (BertModel) has 'bert'")
        }
        let activation = string("hidden_act") ?? "gelu"
        guard activation == "gelu" else {
            throw ModelError.unsupportedModel(file: path, detail: "field 'hidden_act' is '\(activation)'; only 'gelu' (exact, erf) is implemented")
        }
        let positions = string("position_embedding_type") ?? "absolute"
        guard positions == "absolute" else {
            throw ModelError.unsupportedModel(file: path, detail: "field 'position_embedding_type' is '\(positions)'; only 'absolute' is implemented")
        }
        if json["is_decoder"] as? Bool == true {
            throw ModelError.unsupportedModel(file: path, detail: "field 'is_decoder' is true; a bidirectional encoder is expected")
        }
        let configuration = BertEncoderConfiguration(
            vocabularySize: try required("vocab_size"), hiddenSize: try required("hidden_size"),
            layerCount: try required("num_hidden_layers"), headCount: try required("num_attention_heads"),
            intermediateSize: try required("intermediate_size"), maximumPositions: try required("max_position_embeddings"),
            typeVocabularySize: try number("type_vocab_size").map { _ in try required("type_vocab_size") } ?? 2,
            layerNormEpsilon: try number("layer_norm_eps")?.floatValue ?? 1e-12)
        guard configuration.hiddenSize % configuration.headCount == 0 else {
            throw ModelError.unsupportedModel(
                file: path, detail: "field 'hidden_size' (\(configuration.hiddenSize)) is not a multiple of 'num_attention_heads' (\(configuration.headCount))")
        }
        return configuration
    }
}
