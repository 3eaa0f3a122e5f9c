import Foundation

// Source: the single-file format of Hugging Face `tokenizers` (tokenizer/serialization.rs,
// models/bpe/serialization.rs, pre_tokenizers/byte_level.rs and split.rs, added_vocabulary.rs).

/// Reads the byte-level BPE in a Hugging Face `tokenizer.json`, rejecting every setting
/// ``BytePairTokenizer`` would not reproduce exactly.
///
/// Accepted: `model.type` `"BPE"` without dropout, byte fallback, `ignore_merges`, subword
/// prefix or word suffix, its merges as `"a b"` strings (files written before `tokenizers`
/// 0.20) or `["a", "b"]` pairs; the pre-tokenizer `ByteLevel` without a prefix space, alone or
/// after a `Split` on GPT-2's pattern; no normalizer, truncation or padding; a `ByteLevel`
/// post-processor and decoder, or none; added tokens without `lstrip`, `rstrip` or
/// `single_word`. Parsed with `JSONSerialization`, which keys objects by `String`: two
/// canonically equivalent spellings would collide, which no byte-level alphabet spellings are.
enum TokenizerJSONFile {
    /// Ids above this are rejected, as in `vocab.json`.
    static let maximumID = VocabularyFile.maximumID

    /// What ``BytePairTokenizer/init(spellings:idBySpelling:mergeIDs:specialTokens:source:)`` takes.
    struct Contents {
        var spellings: [String?]
        var idBySpelling: [ByteString: Int]
        var mergeIDs: [(Int32, Int32)]
        /// The added tokens' texts in file order, each with its id in `idBySpelling`.
        var addedTokens: [String]
    }

    static func read(from url: URL) throws -> Contents {
        let data = try FileAccess.read(url)
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw invalidJSON(url, [UInt8](data), error)
        }
        let fields = TokenizerJSONFields(path: url.path)
        guard let document = root as? [String: Any] else {
            throw TokenizerError.malformedFile(
                path: url.path, line: 1, column: nil, reason: "expected a JSON object, found \(TokenizerJSONFields.describe(root))")
        }
        try checkSettings(document, fields)
        let model = try fields.object(document["model"], "model")
        try checkModel(model, fields)

        let vocabulary = try fields.object(model["vocab"], "model.vocab")
        var entries: [(spelling: String, id: Int)] = []
        entries.reserveCapacity(vocabulary.count)
        for (spelling, value) in vocabulary {
            let field = "model.vocab[\(JSONObjectParser.quoted(spelling))]"
            let id = try fields.integer(value, field)
            guard id >= 0, id < maximumID else { throw fields.failure(field, "id \(id) is outside 0..<\(maximumID)") }
            entries.append((spelling, id))
        }
        // Sorted so that the message about a repeated id names the same two tokens every time.
        entries.sort { $0.id != $1.id ? $0.id < $1.id : $0.spelling.utf8.lexicographicallyPrecedes($1.spelling.utf8) }
        let addedTokens = try readAddedTokens(document["added_tokens"], fields)
        let size = max(entries.last.map { $0.id + 1 } ?? 0, (addedTokens.map(\.id).max() ?? -1) + 1)
        var spellings = [String?](repeating: nil, count: size)
        var idBySpelling: [ByteString: Int] = [:]
        idBySpelling.reserveCapacity(size)
        for entry in entries {
            if let other = spellings[entry.id] {
                throw fields.failure(
                    "model.vocab[\(JSONObjectParser.quoted(entry.spelling))]",
                    "id \(entry.id) is used by another token, \(JSONObjectParser.quoted(other))")
            }
            spellings[entry.id] = entry.spelling
            idBySpelling[ByteString(entry.spelling)] = entry.id
        }
        let mergeIDs = try readMerges(model["merges"], idBySpelling: idBySpelling, fields)

        var addedTexts: [String] = []
        for (index, token) in addedTokens.enumerated() {
            let field = "added_tokens[\(index)].id"
            if let existing = idBySpelling[ByteString(token.content)] {
                guard existing == token.id else {
                    throw fields.failure(field, "\(token.id) differs from the id \(existing) of \(JSONObjectParser.quoted(token.content)) in model.vocab or an earlier added token")
                }
                if !addedTexts.contains(where: { ByteString($0) == ByteString(token.content) }) { addedTexts.append(token.content) }
                continue
            }
            if let other = spellings[token.id] {
                throw fields.failure(field, "\(token.id) is already the id of \(JSONObjectParser.quoted(other))")
            }
            spellings[token.id] = token.content
            idBySpelling[ByteString(token.content)] = token.id
            addedTexts.append(token.content)
        }
        return Contents(spellings: spellings, idBySpelling: idBySpelling, mergeIDs: mergeIDs, addedTokens: addedTexts)
    }

    /// Everything outside `model` that changes ids or decoded text.
    private static func checkSettings(_ document: [String: Any], _ fields: TokenizerJSONFields) throws {
        for name in ["truncation", "padding"] where !TokenizerJSONFields.isNull(document[name]) {
            throw fields.unsupported(name, document[name], because: "only null keeps every encoding whole and unpadded")
        }
        if let normalizer = document["normalizer"], !(normalizer is NSNull) {
            let object = try fields.object(normalizer, "normalizer")
            let type = try fields.string(object["type"], "normalizer.type")
            let isEmptySequence = type == "Sequence" && ((object["normalizers"] as? [Any])?.isEmpty ?? false)
            guard isEmptySequence else {
                throw fields.unsupported("normalizer.type", type, because: "byte-level BPE encodes the text unchanged; only null is read")
            }
        }
        try checkPreTokenizer(document["pre_tokenizer"], fields)
        for name in ["post_processor", "decoder"] {
            guard let value = document[name], !(value is NSNull) else { continue }
            let type = try fields.string(try fields.object(value, name)["type"], name + ".type")
            guard type == "ByteLevel" else {
                throw fields.unsupported(name + ".type", type, because: "only ByteLevel or null, which leave ids and text as they are")
            }
        }
    }

    /// `ByteLevel`, or a `Sequence` of a `Split` on GPT-2's pattern and `ByteLevel`: the split
    /// ``ByteLevelPreTokenizer`` performs, then the bytes mapped to the byte-level alphabet.
    private static func checkPreTokenizer(_ value: Any?, _ fields: TokenizerJSONFields) throws {
        let explanation = "byte-level BPE only: ByteLevel, or a Sequence of a Split on GPT-2's pattern and ByteLevel"
        if value is NSNull {
            throw fields.unsupported("pre_tokenizer", value, because: explanation)
        }
        let preTokenizer = try fields.object(value, "pre_tokenizer")
        let type = try fields.string(preTokenizer["type"], "pre_tokenizer.type")
        switch type {
        case "ByteLevel":
            try checkByteLevel(preTokenizer, "pre_tokenizer", splitsWords: true, fields)
        case "Sequence":
            let parts = try fields.array(preTokenizer["pretokenizers"], "pre_tokenizer.pretokenizers").enumerated().map { index, part in
                try fields.object(part, "pre_tokenizer.pretokenizers[\(index)]")
            }
            let types = try parts.enumerated().map { index, part in
                try fields.string(part["type"], "pre_tokenizer.pretokenizers[\(index)].type")
            }
            guard types == ["ByteLevel"] || types == ["Split", "ByteLevel"] else {
                let spelled = "[" + types.map { JSONObjectParser.quoted($0) }.joined(separator: ", ") + "]"
                throw fields.failure("pre_tokenizer.pretokenizers", "\(spelled) is not supported (\(explanation))")
            }
            if types.count == 2 {
                try checkSplit(parts[0], "pre_tokenizer.pretokenizers[0]", fields)
            }
            try checkByteLevel(parts[types.count - 1], "pre_tokenizer.pretokenizers[\(types.count - 1)]",
                               splitsWords: types.count == 1, fields)
        default:
            throw fields.unsupported("pre_tokenizer.type", type, because: explanation)
        }
    }

    /// A `ByteLevel` pre-tokenizer: no prefix space; its own GPT-2 split (`use_regex`, default
    /// true) unless a `Split` already did it. Splitting GPT-2's pieces again changes nothing.
    private static func checkByteLevel(
        _ object: [String: Any], _ field: String, splitsWords: Bool, _ fields: TokenizerJSONFields
    ) throws {
        if try fields.boolean(object["add_prefix_space"], field + ".add_prefix_space") {
            throw fields.unsupported(field + ".add_prefix_space", true, because: "GPT-2 encodes text without a space put in front")
        }
        let usesRegex = try TokenizerJSONFields.isNull(object["use_regex"]) || fields.boolean(object["use_regex"], field + ".use_regex")
        if splitsWords && !usesRegex {
            throw fields.unsupported(field + ".use_regex", false, because: "without a Split before it, text would not be cut into words")
        }
    }

    /// A `Split` that cuts text exactly as ``ByteLevelPreTokenizer`` does.
    private static func checkSplit(_ object: [String: Any], _ field: String, _ fields: TokenizerJSONFields) throws {
        let pattern = try fields.object(object["pattern"], field + ".pattern")
        guard let regex = pattern["Regex"] else {
            throw fields.failure(field + ".pattern", "only a Regex pattern is supported, found keys \(pattern.keys.sorted())")
        }
        guard try fields.string(regex, field + ".pattern.Regex") == ByteLevelPreTokenizer.pattern else {
            throw fields.unsupported(field + ".pattern.Regex", regex, because: "only GPT-2's pattern \(JSONObjectParser.quoted(ByteLevelPreTokenizer.pattern))")
        }
        let behavior = try fields.string(object["behavior"], field + ".behavior")
        guard behavior == "Isolated" else {
            throw fields.unsupported(field + ".behavior", behavior, because: "only Isolated keeps each match a word of its own")
        }
        try fields.requireOff(object["invert"], field + ".invert", because: "the pattern must give the words, not the gaps")
    }

    /// `model`: BPE with none of the options that make it differ from GPT-2's.
    private static func checkModel(_ model: [String: Any], _ fields: TokenizerJSONFields) throws {
        let type = try fields.string(model["type"], "model.type")
        guard type == "BPE" else {
            throw fields.unsupported("model.type", type, because: "byte-level BPE only")
        }
        if !TokenizerJSONFields.isNull(model["dropout"]) {
            throw fields.unsupported("model.dropout", model["dropout"], because: "dropout makes encoding random; only null is read")
        }
        try fields.requireOff(model["byte_fallback"], "model.byte_fallback", because: "byte-level BPE covers every byte without it")
        try fields.requireOff(model["ignore_merges"], "model.ignore_merges", because: "words in model.vocab would skip the merges")
        for name in ["continuing_subword_prefix", "end_of_word_suffix"] {
            try fields.requireEmpty(model[name], "model." + name, because: "GPT-2's BPE marks no word boundaries in tokens")
        }
        if let unknown = model["unk_token"], !(unknown is NSNull) {
            _ = try fields.string(unknown, "model.unk_token")
        }
    }

    /// `model.merges` in either layout, resolved against `model.vocab`.
    private static func readMerges(
        _ value: Any?, idBySpelling: [ByteString: Int], _ fields: TokenizerJSONFields
    ) throws -> [(Int32, Int32)] {
        let merges = try fields.array(value, "model.merges")
        var mergeIDs: [(Int32, Int32)] = []
        mergeIDs.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            let field = "model.merges[\(rank)]"
            let pair: (left: Substring, right: Substring)
            if let rule = merge as? String {
                guard let split = MergesFile.split(Substring(rule)) else {
                    throw fields.failure(field, "expected two tokens separated by one space, found \(JSONObjectParser.quoted(rule))")
                }
                pair = split
            } else if let parts = merge as? [Any], parts.count == 2, let left = parts[0] as? String, let right = parts[1] as? String {
                pair = (Substring(left), Substring(right))
            } else {
                throw fields.failure(field, "expected \"left right\" or [\"left\", \"right\"], found \(TokenizerJSONFields.describe(merge))")
            }
            do {
                mergeIDs.append(try MergesFile.resolve(pair.left, pair.right, idBySpelling: idBySpelling, vocabularyName: "model.vocab"))
            } catch {
                throw fields.failure(field, error.reason)
            }
        }
        return mergeIDs
    }

    /// `added_tokens`: matched as they are written, wherever they occur.
    private static func readAddedTokens(
        _ value: Any?, _ fields: TokenizerJSONFields
    ) throws -> [(id: Int, content: String)] {
        guard !TokenizerJSONFields.isNull(value) else { return [] }
        return try fields.array(value, "added_tokens").enumerated().map { index, entry in
            let field = "added_tokens[\(index)]"
            let token = try fields.object(entry, field)
            let id = try fields.integer(token["id"], field + ".id")
            guard id >= 0, id < maximumID else { throw fields.failure(field + ".id", "\(id) is outside 0..<\(maximumID)") }
            let content = try fields.string(token["content"], field + ".content")
            guard !content.isEmpty else { throw fields.failure(field + ".content", "an added token cannot be empty") }
            for option in ["single_word", "lstrip", "rstrip"] {
                try fields.requireOff(token[option], "\(field).\(option)", because: "added tokens are matched exactly as written")
            }
            return (id, content)
        }
    }

    /// A one-line error for text `JSONSerialization` rejects, at the line and column it names
    /// ("around character 12") or, for a truncated file, at the end.
    static func invalidJSON(_ url: URL, _ bytes: [UInt8], _ error: any Error) -> TokenizerError {
        let detail = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? error.localizedDescription
        var offset: Int?
        if let range = detail.range(of: "around character ") {
            offset = Int(detail[range.upperBound...].prefix(while: \.isNumber))
        } else if bytes.isEmpty || detail.localizedCaseInsensitiveContains("end of file") {
            offset = bytes.count
        }
        let position = offset.map { FileAccess.lineAndColumn(of: $0, in: bytes) }
        let oneLine = detail.split(whereSeparator: \.isNewline).joined(separator: " ")
        return .malformedFile(path: url.path, line: position?.line ?? 1, column: position?.column, reason: "not valid JSON (\(oneLine))")
    }
}
