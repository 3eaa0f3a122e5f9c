import Foundation

// Source: the single-file format of Hugging Face `tokenizers` (tokenizer/serialization.rs,
// models/wordpiece/serialization.rs, normalizers/bert.rs, processors/template.rs and bert.rs,
// decoders/wordpiece.rs, added_vocabulary.rs).

extension WordPieceTokenizer {
    /// Loads a WordPiece tokenizer from a Hugging Face `tokenizer.json` (BERT's layout).
    ///
    /// Read: `model.type` `"WordPiece"` (`unk_token`, `continuing_subword_prefix`,
    /// `max_input_chars_per_word`, `vocab`); a `BertNormalizer` or none; the
    /// `BertPreTokenizer`; a `TemplateProcessing` (its `single` template) or `BertProcessing`
    /// post-processor, or none; a `WordPiece` decoder or none; special added tokens matched as
    /// written (not normalised, no `lstrip`, `rstrip` or `single_word`). The file's
    /// `truncation` and `padding` are batch settings that ``encode(_:addingSpecialTokens:maximumLength:)``
    /// leaves to its caller, as `transformers` does. Anything else is refused, naming the
    /// field, rather than approximated.
    ///
    /// - Throws: ``TokenizerError/fileAccess(path:reason:)`` when the file cannot be read,
    ///   ``TokenizerError/malformedFile(path:line:column:reason:)`` when it is not JSON, and
    ///   ``TokenizerError/malformedField(path:field:reason:)`` naming the field that is missing,
    ///   mistyped or a part not supported.
    ///
    /// ```swift
    /// let bert = try WordPieceTokenizer(tokenizerJSONFile: folder.appending(path: "tokenizer.json"))
    /// ```
    public init(tokenizerJSONFile: URL) throws {
        let document = try TokenizerJSONDocument.read(tokenizerJSONFile)
        try self.init(document: document.object, fields: document.fields)
    }

    /// Reads a parsed `tokenizer.json`; see ``init(tokenizerJSONFile:)``.
    init(document: [String: Any], fields: TokenizerJSONFields) throws {
        let model = try fields.object(document["model"], "model")
        let type = try fields.string(model["type"], "model.type")
        guard type == "WordPiece" else {
            throw fields.unsupported("model.type", type, because: "this reader takes WordPiece only")
        }
        try Self.checkPreTokenizer(document["pre_tokenizer"], fields)
        let vocabulary = try fields.object(model["vocab"], "model.vocab")
        var entries: [(token: String, id: Int)] = []
        entries.reserveCapacity(vocabulary.count)
        for (token, value) in vocabulary {
            let field = "model.vocab[\(JSONObjectParser.quoted(token))]"
            let id = try fields.integer(value, field)
            guard id >= 0, id < VocabularyFile.maximumID else { throw fields.failure(field, "id \(id) is outside 0..<\(VocabularyFile.maximumID)") }
            entries.append((token, id))
        }
        entries.sort { $0.id != $1.id ? $0.id < $1.id : $0.token.utf8.lexicographicallyPrecedes($1.token.utf8) }
        let added = try Self.readAddedTokens(document["added_tokens"], fields)
        let size = max(entries.last.map { $0.id + 1 } ?? 0, (added.map(\.id).max() ?? -1) + 1)
        var tokens = [String?](repeating: nil, count: size)
        var idByToken: [ByteString: Int] = [:]
        idByToken.reserveCapacity(size)
        for entry in entries {
            if let other = tokens[entry.id] {
                throw fields.failure("model.vocab[\(JSONObjectParser.quoted(entry.token))]",
                                     "id \(entry.id) is used by another token, \(JSONObjectParser.quoted(other))")
            }
            tokens[entry.id] = entry.token
            idByToken[ByteString(entry.token)] = entry.id
        }
        var specials: [(token: String, id: Int)] = []
        for (index, token) in added.enumerated() {
            let field = "added_tokens[\(index)].id"
            if let existing = idByToken[ByteString(token.content)] {
                guard existing == token.id else {
                    throw fields.failure(field, "\(token.id) differs from the id \(existing) of \(JSONObjectParser.quoted(token.content)) in model.vocab")
                }
            } else {
                if let other = tokens[token.id] {
                    throw fields.failure(field, "\(token.id) is already the id of \(JSONObjectParser.quoted(other))")
                }
                tokens[token.id] = token.content
                idByToken[ByteString(token.content)] = token.id
            }
            if !specials.contains(where: { ByteString($0.token) == ByteString(token.content) }) {
                specials.append((token.content, token.id))
            }
        }
        func lookup(_ token: String, _ field: String) throws -> Int {
            guard let id = idByToken[ByteString(token)] else {
                throw fields.failure(field, "\(JSONObjectParser.quoted(token)) is not in model.vocab")
            }
            return id
        }
        let unknown = try fields.string(model["unk_token"], "model.unk_token")
        let prefix = TokenizerJSONFields.isNull(model["continuing_subword_prefix"])
            ? "##" : try fields.string(model["continuing_subword_prefix"], "model.continuing_subword_prefix")
        let maximumCharacters = TokenizerJSONFields.isNull(model["max_input_chars_per_word"])
            ? 100 : try fields.integer(model["max_input_chars_per_word"], "model.max_input_chars_per_word")
        let (prefixIDs, suffixIDs) = try Self.readPostProcessor(document["post_processor"], fields, lookup: lookup)
        try self.init(
            tokens: tokens, idByToken: idByToken, specialTokens: specials,
            unknownID: try lookup(unknown, "model.unk_token"), continuingSubwordPrefix: prefix,
            maximumCharactersPerWord: maximumCharacters,
            normalizer: try Self.readNormalizer(document["normalizer"], fields),
            prefixIDs: prefixIDs, suffixIDs: suffixIDs,
            decoding: try Self.readDecoder(document["decoder"], fields))
    }

    private static func readNormalizer(_ value: Any?, _ fields: TokenizerJSONFields) throws -> WordPieceNormalizer? {
        guard !TokenizerJSONFields.isNull(value) else { return nil }
        let object = try fields.object(value, "normalizer")
        let type = try fields.string(object["type"], "normalizer.type")
        guard type == "BertNormalizer" else {
            throw fields.unsupported("normalizer.type", type, because: "WordPiece files are read with BertNormalizer or no normalizer")
        }
        func flag(_ name: String, default fallback: Bool) throws -> Bool {
            TokenizerJSONFields.isNull(object[name]) ? fallback : try fields.boolean(object[name], "normalizer." + name)
        }
        let lowercase = try flag("lowercase", default: true)
        // `strip_accents: null` follows `lowercase`, as in BERT's original tokenizer.
        return WordPieceNormalizer(
            cleanText: try flag("clean_text", default: true),
            handleChineseCharacters: try flag("handle_chinese_chars", default: true),
            stripAccents: try flag("strip_accents", default: lowercase), lowercase: lowercase)
    }

    private static func checkPreTokenizer(_ value: Any?, _ fields: TokenizerJSONFields) throws {
        let explanation = "WordPiece files are read with BertPreTokenizer"
        guard !TokenizerJSONFields.isNull(value) else {
            throw fields.unsupported("pre_tokenizer", value, because: explanation)
        }
        let type = try fields.string(try fields.object(value, "pre_tokenizer")["type"], "pre_tokenizer.type")
        guard type == "BertPreTokenizer" else { throw fields.unsupported("pre_tokenizer.type", type, because: explanation) }
    }

    /// The ids a single sequence gets before and after it.
    private static func readPostProcessor(
        _ value: Any?, _ fields: TokenizerJSONFields, lookup: (String, String) throws -> Int
    ) throws -> ([Int], [Int]) {
        guard !TokenizerJSONFields.isNull(value) else { return ([], []) }
        let object = try fields.object(value, "post_processor")
        let type = try fields.string(object["type"], "post_processor.type")
        switch type {
        case "BertProcessing":
            func pair(_ name: String) throws -> Int {
                let field = "post_processor." + name
                let entry = try fields.array(object[name], field)
                guard entry.count == 2 else { throw fields.failure(field, "expected [token, id]") }
                let token = try fields.string(entry[0], field + "[0]")
                let id = try fields.integer(entry[1], field + "[1]")
                guard try lookup(token, field + "[0]") == id else {
                    throw fields.failure(field + "[1]", "\(id) is not the id of \(JSONObjectParser.quoted(token)) in model.vocab")
                }
                return id
            }
            return ([try pair("cls")], [try pair("sep")])
        case "TemplateProcessing":
            let specials = try fields.object(object["special_tokens"], "post_processor.special_tokens")
            var before: [Int] = [], after: [Int] = []
            var sawSequence = false
            for (index, item) in try fields.array(object["single"], "post_processor.single").enumerated() {
                let field = "post_processor.single[\(index)]"
                let piece = try fields.object(item, field)
                if let sequence = piece["Sequence"] {
                    let name = try fields.string(try fields.object(sequence, field + ".Sequence")["id"], field + ".Sequence.id")
                    guard name == "A", !sawSequence else {
                        throw fields.unsupported(field + ".Sequence.id", name, because: "a single-sequence template holds sequence A once")
                    }
                    sawSequence = true
                } else if let special = piece["SpecialToken"] {
                    let name = try fields.string(try fields.object(special, field + ".SpecialToken")["id"], field + ".SpecialToken.id")
                    let specialField = "post_processor.special_tokens[\(JSONObjectParser.quoted(name))]"
                    let entry = try fields.object(specials[name], specialField)
                    let ids = try fields.array(entry["ids"], specialField + ".ids").enumerated().map {
                        try fields.integer($0.element, specialField + ".ids[\($0.offset)]")
                    }
                    if sawSequence { after += ids } else { before += ids }
                } else {
                    throw fields.failure(field, "expected a Sequence or a SpecialToken, found keys \(piece.keys.sorted())")
                }
            }
            guard sawSequence else { throw fields.failure("post_processor.single", "the template has no Sequence A") }
            return (before, after)
        default:
            throw fields.unsupported("post_processor.type", type, because: "WordPiece files are read with TemplateProcessing, BertProcessing or none")
        }
    }

    private static func readDecoder(_ value: Any?, _ fields: TokenizerJSONFields) throws -> Decoding {
        guard !TokenizerJSONFields.isNull(value) else { return .spaceSeparated }
        let object = try fields.object(value, "decoder")
        let type = try fields.string(object["type"], "decoder.type")
        guard type == "WordPiece" else {
            throw fields.unsupported("decoder.type", type, because: "WordPiece files are read with the WordPiece decoder or none")
        }
        let prefix = TokenizerJSONFields.isNull(object["prefix"]) ? "##" : try fields.string(object["prefix"], "decoder.prefix")
        let cleanup = TokenizerJSONFields.isNull(object["cleanup"]) ? true : try fields.boolean(object["cleanup"], "decoder.cleanup")
        return .wordPiece(prefix: prefix, cleanup: cleanup)
    }

    /// `added_tokens`: special tokens matched in the text as written.
    private static func readAddedTokens(_ value: Any?, _ fields: TokenizerJSONFields) throws -> [(id: Int, content: String)] {
        guard !TokenizerJSONFields.isNull(value) else { return [] }
        return try fields.array(value, "added_tokens").enumerated().map { index, entry in
            let field = "added_tokens[\(index)]"
            let token = try fields.object(entry, field)
            let id = try fields.integer(token["id"], field + ".id")
            guard id >= 0, id < VocabularyFile.maximumID else { throw fields.failure(field + ".id", "\(id) is outside 0..<\(VocabularyFile.maximumID)") }
            let content = try fields.string(token["content"], field + ".content")
            guard !content.isEmpty else { throw fields.failure(field + ".content", "an added token cannot be empty") }
            for option in ["single_word", "lstrip", "rstrip", "normalized"] {
                try fields.requireOff(token[option], "\(field).\(option)", because: "added tokens are matched in the text exactly as written")
            }
            if !TokenizerJSONFields.isNull(token["special"]), try !fields.boolean(token["special"], field + ".special") {
                throw fields.unsupported(field + ".special", false, because: "only special added tokens are read")
            }
            return (id, content)
        }
    }
}

/// A parsed `tokenizer.json` and the field reader that names it in errors.
struct TokenizerJSONDocument {
    var object: [String: Any]
    var fields: TokenizerJSONFields

    static func read(_ url: URL) throws -> TokenizerJSONDocument {
        let data = try FileAccess.read(url)
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw TokenizerJSONFile.invalidJSON(url, [UInt8](data), error)
        }
        guard let object = root as? [String: Any] else {
            throw TokenizerError.malformedFile(
                path: url.path, line: 1, column: nil, reason: "expected a JSON object, found \(TokenizerJSONFields.describe(root))")
        }
        return TokenizerJSONDocument(object: object, fields: TokenizerJSONFields(path: url.path))
    }
}

/// Loads any `tokenizer.json` this module reads, choosing the tokenizer by `model.type`.
public enum TokenizerJSON {
    /// The tokenizer a Hugging Face `tokenizer.json` describes: ``BytePairTokenizer`` for
    /// `"BPE"` (byte-level), ``WordPieceTokenizer`` for `"WordPiece"` (BERT).
    ///
    /// - Parameter specialTokens: Extra special tokens for byte-level BPE (see
    ///   ``BytePairTokenizer/init(tokenizerJSONFile:specialTokens:)``).
    /// - Throws: `TokenizerError` naming the file and field of anything not read, including
    ///   another `model.type` (Unigram).
    ///
    /// ```swift
    /// let tokenizer = try TokenizerJSON.load(folder.appending(path: "tokenizer.json"))
    /// ```
    public static func load(_ url: URL, specialTokens: [String] = BytePairTokenizer.defaultSpecialTokens) throws -> any Tokenizer {
        let document = try TokenizerJSONDocument.read(url)
        let model = try document.fields.object(document.object["model"], "model")
        let type = try document.fields.string(model["type"], "model.type")
        switch type {
        case "WordPiece":
            return try WordPieceTokenizer(document: document.object, fields: document.fields)
        case "BPE":
            return try BytePairTokenizer(tokenizerJSONFile: url, specialTokens: specialTokens)
        default:
            throw document.fields.unsupported("model.type", type, because: "BPE (byte-level) and WordPiece are read")
        }
    }
}
