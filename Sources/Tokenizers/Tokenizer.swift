/// A two-way mapping between text and the integer token ids a language model consumes.
///
/// Every tokenizer in this module (``BytePairTokenizer``, ``CharacterTokenizer``,
/// ``WordTokenizer``) conforms, and so can an application's own tokenizer (SVG commands,
/// image codes). Conformers are values that can be shared across tasks, hence `Sendable`.
///
/// Requirements are `throws` so that a domain tokenizer may reject input it cannot
/// represent; the text tokenizers here never throw from `encode` (they fall back to
/// bytes or an unknown token) and only throw from `decode` for ids outside the vocabulary.
///
/// ```swift
/// let tokenizer: any Tokenizer = try BytePairTokenizer(directory: gpt2Folder)
/// let ids = try tokenizer.encode("Hello world")     // [15496, 995]
/// let text = try tokenizer.decode(ids)              // "Hello world"
/// let end = tokenizer.specialTokenID("<|endoftext|>") // 50256
/// ```
public protocol Tokenizer: Sendable {
    /// The number of ids the model must provide embeddings and logits for.
    ///
    /// Ids run from 0 to `vocabularySize - 1`; an id in that range may still be unused
    /// when a loaded vocabulary has gaps (``token(for:)`` returns `nil` for it).
    var vocabularySize: Int { get }

    /// The special tokens, in id order, that are matched whole in text before any splitting.
    var specialTokens: [String] { get }

    /// Converts text to token ids.
    ///
    /// - Parameter text: Any string; special tokens in it become their own ids.
    /// - Returns: The token ids, in order.
    func encode(_ text: String) throws -> [Int]

    /// Converts token ids back to text.
    ///
    /// - Parameter ids: Token ids, each in `0..<vocabularySize`.
    /// - Returns: The text; `decode(encode(text)) == text` wherever the vocabulary covers `text`.
    /// - Throws: ``TokenizerError/unknownTokenID(_:vocabularySize:)`` for an id with no token.
    func decode(_ ids: [Int]) throws -> String

    /// Returns the vocabulary entry for an id as it is spelled in the vocabulary file.
    ///
    /// For byte-level BPE this is the byte-to-unicode spelling (`"Ġworld"`), not plain text;
    /// use ``decode(_:)`` for text.
    func token(for id: Int) -> String?

    /// Returns the id of a vocabulary entry spelled as in the vocabulary file, if present.
    func id(for token: String) -> Int?

    /// Returns the id of a special token such as `"<|endoftext|>"` or `"<unk>"`, if registered.
    func specialTokenID(_ name: String) -> Int?
}

extension Tokenizer {
    /// Returns whether an id belongs to one of the registered special tokens.
    ///
    /// - Parameter id: Any integer; ids outside the vocabulary are not special.
    public func isSpecialToken(_ id: Int) -> Bool {
        guard let token = token(for: id) else { return false }
        return specialTokenID(token) == id
    }

    /// Converts token ids back to text, leaving out special tokens.
    ///
    /// Useful when printing a generated sequence that contains end-of-text or padding markers.
    public func decode(_ ids: [Int], skippingSpecialTokens: Bool) throws -> String {
        guard skippingSpecialTokens else { return try decode(ids) }
        return try decode(ids.filter { !isSpecialToken($0) })
    }
}
