// Source: WordPiece as in BERT (Devlin et al. 2019; Wu et al. 2016, "Google's Neural Machine
// Translation System", section 4.1) and its Hugging Face `tokenizers` implementation
// (models/wordpiece, decoders/wordpiece, processors/template and bert).

/// BERT's WordPiece tokenizer: special tokens matched first, then ``WordPieceNormalizer``,
/// words cut at whitespace and punctuation, and each word split greedily into the longest
/// vocabulary entries from the left (pieces after the first carry the `##` prefix); a word
/// with no such split, or longer than ``maximumCharactersPerWord``, becomes the unknown token.
///
/// Loaded from a Hugging Face `tokenizer.json` (``init(tokenizerJSONFile:)``), it gives the
/// ids and decoded text of the `tokenizers` library with truncation and padding off.
/// ``encode(_:)`` adds the post-processor's tokens (`[CLS] … [SEP]`) as `tokenizers` does
/// by default; ``encode(_:addingSpecialTokens:maximumLength:)`` controls both.
///
/// ```swift
/// let bert = try WordPieceTokenizer(tokenizerJSONFile: folder.appending(path: "tokenizer.json"))
/// bert.encode("Hello, world!")                          // [101, 7592, 1010, 2088, 999, 102]
/// bert.encode("Hello, world!", addingSpecialTokens: false)  // [7592, 1010, 2088, 999]
/// try bert.decode([101, 7592, 1010, 2088, 999, 102], skippingSpecialTokens: true)  // "hello, world!"
/// ```
public struct WordPieceTokenizer: Tokenizer {
    /// How ids are turned back into text.
    public enum Decoding: Sendable, Equatable {
        /// Hugging Face's `WordPiece` decoder: pieces starting with `prefix` are glued to the
        /// previous one (prefix removed), others follow a space; `cleanup` removes the space
        /// before `. ? ! ,` and joins English contractions.
        case wordPiece(prefix: String, cleanup: Bool)
        /// No decoder: the tokens joined by single spaces.
        case spaceSeparated
    }

    /// Each id's vocabulary entry (`nil` for gaps in the ids).
    let tokens: [String?]
    let idByToken: [ByteString: Int]
    let specialTokenSet: SpecialTokenSet
    /// The id every unknown word becomes.
    public let unknownID: Int
    /// The marker in front of every piece that continues a word (`"##"`).
    public let continuingSubwordPrefix: String
    /// Words with more scalars than this become the unknown token whole.
    public let maximumCharactersPerWord: Int
    /// The text normalisation, or nil to split the text as it is.
    public let normalizer: WordPieceNormalizer?
    /// Ids put before the text by ``encode(_:)`` (`[CLS]`).
    public let prefixIDs: [Int]
    /// Ids put after the text by ``encode(_:)`` (`[SEP]`).
    public let suffixIDs: [Int]
    /// How ``decode(_:)`` joins pieces.
    public let decoding: Decoding

    /// Creates a tokenizer from a vocabulary held in memory.
    ///
    /// - Parameters:
    ///   - vocabulary: Entries in id order; continuation pieces carry `continuingSubwordPrefix`.
    ///   - specialTokens: Tokens matched whole in the text before normalisation, each in
    ///     `vocabulary` (such as `[CLS]`, `[SEP]`, `[MASK]`).
    ///   - unknownToken: The entry unknown words become.
    ///   - prefixTokens, suffixTokens: Entries ``encode(_:)`` puts around the text.
    /// - Throws: ``TokenizerError/invalidConfiguration(field:reason:)`` naming a repeated or
    ///   missing entry.
    public init(
        vocabulary: [String], specialTokens: [String] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
        unknownToken: String = "[UNK]", continuingSubwordPrefix: String = "##", maximumCharactersPerWord: Int = 100,
        normalizer: WordPieceNormalizer? = WordPieceNormalizer(),
        prefixTokens: [String] = ["[CLS]"], suffixTokens: [String] = ["[SEP]"],
        decoding: Decoding = .wordPiece(prefix: "##", cleanup: true)
    ) throws {
        var idByToken: [ByteString: Int] = [:]
        for (id, token) in vocabulary.enumerated() {
            guard idByToken.updateValue(id, forKey: ByteString(token)) == nil else {
                throw TokenizerError.invalidConfiguration(field: "vocabulary[\(id)]", reason: "\"\(token)\" appears twice")
            }
        }
        func lookup(_ token: String, _ field: String) throws -> Int {
            guard let id = idByToken[ByteString(token)] else {
                throw TokenizerError.invalidConfiguration(field: field, reason: "\"\(token)\" is not in the vocabulary")
            }
            return id
        }
        let specials = try specialTokens.map { ($0, try lookup($0, "specialTokens")) }
        try self.init(
            tokens: vocabulary, idByToken: idByToken, specialTokens: specials,
            unknownID: try lookup(unknownToken, "unknownToken"), continuingSubwordPrefix: continuingSubwordPrefix,
            maximumCharactersPerWord: maximumCharactersPerWord, normalizer: normalizer,
            prefixIDs: try prefixTokens.map { try lookup($0, "prefixTokens") },
            suffixIDs: try suffixTokens.map { try lookup($0, "suffixTokens") }, decoding: decoding)
    }

    /// The designated initializer: ids are already checked against `tokens`.
    init(
        tokens: [String?], idByToken: [ByteString: Int], specialTokens: [(token: String, id: Int)],
        unknownID: Int, continuingSubwordPrefix: String, maximumCharactersPerWord: Int,
        normalizer: WordPieceNormalizer?, prefixIDs: [Int], suffixIDs: [Int], decoding: Decoding
    ) throws {
        self.tokens = tokens
        self.idByToken = idByToken
        self.specialTokenSet = try SpecialTokenSet(specialTokens)
        self.unknownID = unknownID
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maximumCharactersPerWord = maximumCharactersPerWord
        self.normalizer = normalizer
        self.prefixIDs = prefixIDs
        self.suffixIDs = suffixIDs
        self.decoding = decoding
    }

    /// One more than the largest id.
    public var vocabularySize: Int { tokens.count }

    /// The special tokens matched whole in text, in the order registered.
    public var specialTokens: [String] { specialTokenSet.tokens }

    /// The vocabulary entry of an id.
    public func token(for id: Int) -> String? {
        tokens.indices.contains(id) ? tokens[id] : nil
    }

    /// The id of a vocabulary entry (compared byte for byte).
    public func id(for token: String) -> Int? {
        idByToken[ByteString(token)]
    }

    /// The id of a registered special token.
    public func specialTokenID(_ name: String) -> Int? {
        specialTokenSet.id(for: name)
    }

    /// Converts text to ids with the post-processor's tokens around them (`[CLS] … [SEP]`),
    /// as `tokenizers`' `encode` does by default.
    public func encode(_ text: String) -> [Int] {
        encode(text, addingSpecialTokens: true)
    }

    /// Converts text to ids.
    ///
    /// - Parameters:
    ///   - addingSpecialTokens: Put ``prefixIDs`` and ``suffixIDs`` around the text.
    ///   - maximumLength: Keep at most this many ids in all, cutting the text's ids at the
    ///     end (Hugging Face's `LongestFirst` truncation of a single sequence, to the right);
    ///     the added tokens are always kept.
    public func encode(_ text: String, addingSpecialTokens: Bool, maximumLength: Int? = nil) -> [Int] {
        var ids: [Int] = []
        for segment in specialTokenSet.split(text) {
            switch segment {
            case let .special(_, id):
                ids.append(id)
            case let .text(piece):
                let scalars = normalizer?.normalize(piece) ?? Array(piece.unicodeScalars)
                for word in WordPieceNormalizer.splitWords(scalars) {
                    appendPieces(of: word, to: &ids)
                }
            }
        }
        let added = addingSpecialTokens ? prefixIDs.count + suffixIDs.count : 0
        if let maximumLength, ids.count + added > maximumLength {
            ids.removeLast(min(ids.count, ids.count + added - maximumLength))
        }
        return addingSpecialTokens ? prefixIDs + ids + suffixIDs : ids
    }

    /// Greedy longest-match-first split of one word (Hugging Face's `WordPiece::tokenize`).
    func appendPieces(of word: String, to ids: inout [Int]) {
        let scalarCount = word.unicodeScalars.count
        guard scalarCount <= maximumCharactersPerWord else {
            ids.append(unknownID)
            return
        }
        let bytes = Array(word.utf8)
        let prefix = Array(continuingSubwordPrefix.utf8)
        var pieces: [Int] = []
        var start = 0
        while start < bytes.count {
            var end = bytes.count
            var found: Int?
            while start < end {
                let candidate = start > 0 ? prefix + bytes[start..<end] : Array(bytes[start..<end])
                if let id = idByToken[ByteString(candidate)] {
                    found = id
                    break
                }
                // Step back one whole scalar: skip UTF-8 continuation bytes.
                end -= 1
                while end > start && bytes[end] & 0xC0 == 0x80 { end -= 1 }
            }
            guard let id = found else {
                ids.append(unknownID)
                return
            }
            pieces.append(id)
            start = end
        }
        ids.append(contentsOf: pieces)
    }

    /// Converts ids back to text through the decoder, keeping special tokens
    /// (``decode(_:skippingSpecialTokens:)`` leaves them out, as `tokenizers` does by default).
    ///
    /// - Throws: ``TokenizerError/unknownTokenID(_:vocabularySize:)`` for an id with no entry.
    public func decode(_ ids: [Int]) throws -> String {
        let pieces = try ids.map { id -> String in
            guard let token = token(for: id) else { throw TokenizerError.unknownTokenID(id, vocabularySize: vocabularySize) }
            return token
        }
        switch decoding {
        case .spaceSeparated:
            return pieces.joined(separator: " ")
        case let .wordPiece(prefix, cleanup):
            var text = ""
            for (index, piece) in pieces.enumerated() {
                var part = piece
                if index > 0 {
                    if piece.utf8.starts(with: prefix.utf8) {
                        part = String(decoding: piece.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
                    } else {
                        part = " " + piece
                    }
                }
                text += cleanup ? Self.cleanUp(part) : part
            }
            return text
        }
    }

    /// Hugging Face's decoder clean-up, applied to each piece in turn.
    static func cleanUp(_ piece: String) -> String {
        var text = piece
        for (from, to) in [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                           (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")] {
            text = replacingBytes(text, from, to)
        }
        return text
    }

    /// Replaces every non-overlapping occurrence, left to right, comparing UTF-8 bytes
    /// (Rust's `str::replace`; Swift's own string search compares canonically).
    static func replacingBytes(_ text: String, _ pattern: String, _ replacement: String) -> String {
        let bytes = Array(text.utf8), needle = Array(pattern.utf8)
        guard bytes.count >= needle.count else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        var replaced = false
        while index < bytes.count {
            if index + needle.count <= bytes.count && bytes[index..<(index + needle.count)].elementsEqual(needle) {
                result.append(contentsOf: replacement.utf8)
                index += needle.count
                replaced = true
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return replaced ? String(decoding: result, as: UTF8.self) : text
    }
}
