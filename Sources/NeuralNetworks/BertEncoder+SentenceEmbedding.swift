import Foundation
import Tensors
import Tokenizers

/// A sentence-embedding model: a ``BertEncoder``, its WordPiece tokenizer and the pooling
/// that sentence-transformers applies, loaded from a Hugging Face folder as it is
/// (all-MiniLM-L6-v2, or any `BertModel` folder with a BERT `tokenizer.json`).
///
/// What the folder's sentence-transformers files say is followed:
/// - `modules.json`: a `Transformer`, a `Pooling` (its folder's `config.json`: mean or CLS
///   pooling, in the old `pooling_mode_mean_tokens` or the newer `pooling_mode` spelling),
///   optionally `Normalize` (L2 normalisation); any other module is refused. Without
///   `modules.json`: mean pooling, no normalisation.
/// - The longest input: `max_seq_length` of `sentence_bert_config.json`, else `model_max_length`
///   of `tokenizer_config.json`, capped by the position embeddings; longer texts are cut at
///   the end (keeping `[CLS]` and `[SEP]`), as sentence-transformers does.
///
/// ```swift
/// let model = try SentenceEncoder(directory: folder)
/// let vectors = try model.embed(["photo camera lens", "mail envelope"])  // two unit vectors of model.dimension
/// ```
public final class SentenceEncoder: Sendable {
    /// How token states become one vector.
    public enum Pooling: String, Sendable {
        /// The mean over the non-padding tokens, `[CLS]` and `[SEP]` included.
        case mean
        /// The `[CLS]` token's state.
        case cls
    }

    /// The folder it was loaded from.
    public let directory: URL
    /// The transformer.
    public let encoder: BertEncoder
    /// The folder's `tokenizer.json`.
    public let tokenizer: WordPieceTokenizer
    /// The pooling.
    public let pooling: Pooling
    /// Whether embeddings are scaled to unit length (a `Normalize` module).
    public let normalizes: Bool
    /// Token ids per text at most, `[CLS]` and `[SEP]` included.
    public let maximumLength: Int
    /// Whether texts are lowercased before tokenizing (`do_lower_case` in `sentence_bert_config.json`).
    public let lowercasesInput: Bool

    /// The length of every embedding.
    public var dimension: Int { encoder.configuration.hiddenSize }

    /// Loads the model in `directory`; see the type's description for what is read.
    ///
    /// - Throws: ``ModelError`` naming the file and field of anything that is missing or not
    ///   supported (a folder that is not a BERT, an unknown module, another pooling), and
    ///   `TokenizerError` for the tokenizer file.
    public init(directory: URL) throws {
        self.directory = directory
        encoder = try BertEncoder.load(from: directory)
        let tokenizerFile = directory.appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: tokenizerFile.path) else {
            throw ModelError.unsupportedModel(file: tokenizerFile.path, detail: "no such file; the encoder's WordPiece tokenizer is read from it")
        }
        tokenizer = try WordPieceTokenizer(tokenizerJSONFile: tokenizerFile)
        (pooling, normalizes) = try Self.readModules(directory)
        let settings = try Self.optionalJSON(directory.appendingPathComponent("sentence_bert_config.json"))
        let tokenizerSettings = try Self.optionalJSON(directory.appendingPathComponent("tokenizer_config.json"))
        var length = encoder.configuration.maximumPositions
        if let value = (settings?["max_seq_length"] as? NSNumber)?.intValue ?? (tokenizerSettings?["model_max_length"] as? NSNumber)?.intValue,
           value > 0 {
            length = min(length, value)
        }
        maximumLength = length
        lowercasesInput = settings?["do_lower_case"] as? Bool ?? false
    }

    /// The token ids ``embed(_:batchSize:)`` feeds the encoder for a text.
    public func tokenIDs(_ text: String) -> [Int] {
        tokenizer.encode(lowercasesInput ? text.lowercased() : text, addingSpecialTokens: true, maximumLength: maximumLength)
    }

    /// The embeddings of `texts`, in order.
    ///
    /// Texts are sorted by length and run in batches of up to `batchSize`, so that little
    /// padding is computed; each result is independent of the others in its batch.
    public func embed(_ texts: [String], batchSize: Int = 32) throws -> [[Float]] {
        let ids = texts.map(tokenIDs)
        let order = ids.indices.sorted { ids[$0].count < ids[$1].count }
        var result = [[Float]](repeating: [], count: texts.count)
        var start = 0
        while start < order.count {
            let chunk = Array(order[start..<min(start + max(batchSize, 1), order.count)])
            let vectors = try sentenceEmbeddings(ids: chunk.map { ids[$0] })
            for (index, vector) in zip(chunk, vectors) { result[index] = vector }
            start += chunk.count
        }
        return result
    }

    /// Pooled (and, if the folder says so, normalised) embeddings of id sequences run as one
    /// padded batch.
    public func sentenceEmbeddings(ids: [[Int]]) throws -> [[Float]] {
        let states = try encoder.hiddenStates(ids: ids)
        let (length, width) = (states.shape[1], states.shape[2])
        let base = states.storage.pointer + states.offset
        return ids.enumerated().map { b, sequence in
            var vector = [Float](repeating: 0, count: width)
            let rows = base + b * length * width
            switch pooling {
            case .cls:
                for i in 0..<width { vector[i] = rows[i] }
            case .mean:
                // Summed in Double: the mean of up to hundreds of rows stays exact to float precision.
                var sums = [Double](repeating: 0, count: width)
                for t in 0..<sequence.count {
                    let row = rows + t * width
                    for i in 0..<width { sums[i] += Double(row[i]) }
                }
                for i in 0..<width { vector[i] = Float(sums[i] / Double(sequence.count)) }
            }
            if normalizes {
                let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
                let scale = Float(1 / max(norm, 1e-12))
                for i in 0..<width { vector[i] *= scale }
            }
            return vector
        }
    }

    /// Pooling and normalisation from `modules.json` and the pooling folder's `config.json`.
    static func readModules(_ directory: URL) throws -> (Pooling, Bool) {
        let modulesFile = directory.appendingPathComponent("modules.json")
        guard FileManager.default.fileExists(atPath: modulesFile.path) else { return (.mean, false) }
        let data: Data
        do { data = try Data(contentsOf: modulesFile) } catch {
            throw ModelError.unsupportedModel(file: modulesFile.path, detail: "cannot read the file (\(error.localizedDescription))")
        }
        guard let modules = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
            throw ModelError.unsupportedModel(file: modulesFile.path, detail: "not a JSON list of modules")
        }
        var pooling = Pooling.mean, normalizes = false
        for (index, module) in modules.enumerated() {
            let type = module["type"] as? String ?? ""
            let kind = type.split(separator: ".").last.map(String.init) ?? ""
            switch kind {
            case "Transformer":
                continue
            case "Pooling":
                let path = module["path"] as? String ?? ""
                pooling = try readPooling(directory.appendingPathComponent(path).appendingPathComponent("config.json"))
            case "Normalize":
                normalizes = true
            default:
                throw ModelError.unsupportedModel(
                    file: modulesFile.path, detail: "field '[\(index)].type' is '\(type)'; only Transformer, Pooling and Normalize modules are implemented")
            }
        }
        return (pooling, normalizes)
    }

    static func readPooling(_ file: URL) throws -> Pooling {
        guard let json = try optionalJSON(file) else {
            throw ModelError.unsupportedModel(file: file.path, detail: "no such file; modules.json names a Pooling module here")
        }
        if let mode = json["pooling_mode"] as? String {
            guard let pooling = Pooling(rawValue: mode) else {
                throw ModelError.unsupportedModel(file: file.path, detail: "field 'pooling_mode' is '\(mode)'; only 'mean' and 'cls' are implemented")
            }
            return pooling
        }
        let flags = ["pooling_mode_cls_token", "pooling_mode_mean_tokens", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens",
                     "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"].filter { json[$0] as? Bool == true }
        switch flags {
        case ["pooling_mode_mean_tokens"]: return .mean
        case ["pooling_mode_cls_token"]: return .cls
        default:
            throw ModelError.unsupportedModel(
                file: file.path, detail: "pooling modes \(flags) are set; exactly one of 'pooling_mode_mean_tokens' and 'pooling_mode_cls_token' is implemented")
        }
    }

    static func optionalJSON(_ file: URL) throws -> [String: Any]? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        return try DecoderTransformer.readJSONObject(file)
    }
}
