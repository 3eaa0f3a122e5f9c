import Foundation

extension BytePairTokenizer {
    /// The single-file name Hugging Face `tokenizers` saves a tokenizer under.
    public static let tokenizerJSONFileName = "tokenizer.json"

    /// Loads a byte-level BPE tokenizer from a Hugging Face `tokenizer.json`.
    ///
    /// Only files this type reproduces exactly are read: `model.type` `"BPE"` (merges as
    /// `"a b"` strings or `["a", "b"]` pairs) with a `ByteLevel` pre-tokenizer, as GPT-2's and
    /// `tokenizers`-trained byte-level files have (RoBERTa's post-processor is refused). Every `added_tokens` entry
    /// becomes a special token with its id; `specialTokens` not among them are added as in
    /// ``init(vocabularyFile:mergesFile:specialTokens:)`` (found in the vocabulary, or given
    /// the next free ids).
    ///
    /// - Parameters:
    ///   - tokenizerJSONFile: The `tokenizer.json` file.
    ///   - specialTokens: Special tokens to register besides the file's added tokens.
    /// - Throws: ``TokenizerError/fileAccess(path:reason:)`` when the file cannot be read,
    ///   ``TokenizerError/malformedFile(path:line:column:reason:)`` when it is not JSON, and
    ///   ``TokenizerError/malformedField(path:field:reason:)`` naming the field that is missing,
    ///   mistyped or a setting not supported (a `Metaspace` pre-tokenizer, a WordPiece or
    ///   Unigram model, byte fallback, a normalizer, dropout, a merge with a token absent from
    ///   `model.vocab`).
    ///
    /// ```swift
    /// let gpt2 = try BytePairTokenizer(tokenizerJSONFile: folder.appending(path: "tokenizer.json"))
    /// gpt2.encode("Hello<|endoftext|>World")  // [15496, 50256, 10603]
    /// ```
    public init(
        tokenizerJSONFile: URL, specialTokens: [String] = BytePairTokenizer.defaultSpecialTokens
    ) throws {
        let contents = try TokenizerJSONFile.read(from: tokenizerJSONFile)
        var tokens = contents.addedTokens
        var registered = Set(tokens.map { ByteString($0) })
        for token in specialTokens where registered.insert(ByteString(token)).inserted {
            tokens.append(token)
        }
        try self.init(
            spellings: contents.spellings, idBySpelling: contents.idBySpelling, mergeIDs: contents.mergeIDs,
            specialTokens: tokens, source: tokenizerJSONFile.path)
    }
}
