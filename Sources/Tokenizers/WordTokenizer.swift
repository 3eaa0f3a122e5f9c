import Foundation

/// A tokenizer with one token per word, punctuation mark or whitespace run, with a
/// vocabulary of the corpus's most frequent pieces.
///
/// Text is split by ``split(_:)``: runs of letters, digits and combining marks form words,
/// each other symbol or punctuation scalar stands alone, and each whitespace run is a token
/// too, so the pieces concatenate back to the text exactly. Pieces outside the vocabulary
/// become the unknown token. Tokens are compared by their UTF-8 bytes, so precomposed `é`
/// and `e` + U+0301 stay distinct and round-trip as written.
///
/// ```swift
/// let words = try WordTokenizer(corpus: documents, minimumFrequency: 2, maximumVocabularySize: 20_000)
/// words.encode("Hello, world!")  // ids of "Hello", ",", " ", "world", "!"
/// ```
public struct WordTokenizer: Tokenizer {
    static let fileKind = "word"

    /// The token standing for pieces outside the vocabulary; always a special token.
    public let unknownToken: String
    /// The id of ``unknownToken``.
    public let unknownTokenID: Int
    /// Each id's text: special tokens first, then words by decreasing corpus frequency.
    let entries: [String]
    let idByWord: [ByteString: Int]
    let specialTokenSet: SpecialTokenSet

    /// Builds the vocabulary from a corpus's pieces, most frequent first.
    ///
    /// - Parameters:
    ///   - corpus: Texts to count pieces in (special tokens in them are skipped).
    ///   - minimumFrequency: Pieces seen fewer times are left out (become unknown).
    ///   - maximumVocabularySize: The cap on the vocabulary, special tokens included;
    ///     `nil` keeps every piece that is frequent enough.
    ///   - specialTokens: Extra special tokens, after the unknown token.
    ///   - unknownToken: The special token for pieces outside the vocabulary (id 0).
    /// - Throws: ``TokenizerError/invalidConfiguration(field:reason:)`` for a bad setting.
    public init(
        corpus: some Sequence<String>, minimumFrequency: Int = 1, maximumVocabularySize: Int? = nil,
        specialTokens: [String] = [], unknownToken: String = CharacterTokenizer.defaultUnknownToken
    ) throws {
        let specials = CharacterTokenizer.specialList(specialTokens, unknownToken: unknownToken)
        guard minimumFrequency >= 1 else {
            throw TokenizerError.invalidConfiguration(field: "minimumFrequency", reason: "must be at least 1, got \(minimumFrequency)")
        }
        if let maximumVocabularySize, maximumVocabularySize < specials.count {
            throw TokenizerError.invalidConfiguration(
                field: "maximumVocabularySize",
                reason: "\(maximumVocabularySize) cannot hold the \(specials.count) special tokens")
        }
        let cutter = try SpecialTokenSet(specials.enumerated().map { ($1, $0) })
        var counts: [ByteString: Int] = [:]
        for text in corpus {
            for segment in cutter.split(text) {
                guard case .text(let piece) = segment else { continue }
                for word in Self.split(piece) { counts[ByteString(Array(word.utf8)), default: 0] += 1 }
            }
        }
        // Frequency first; ties by bytes so the vocabulary does not depend on hashing order.
        var ranked = counts.filter { $0.value >= minimumFrequency }.sorted {
            $0.value != $1.value ? $0.value > $1.value : $0.key.bytes.lexicographicallyPrecedes($1.key.bytes)
        }
        if let maximumVocabularySize {
            ranked = Array(ranked.prefix(maximumVocabularySize - specials.count))
        }
        try self.init(words: ranked.map(\.key.string), specialTokens: specials, unknownToken: unknownToken, field: "words")
    }

    /// Loads a tokenizer saved by ``save(to:)``.
    ///
    /// - Throws: ``TokenizerError/malformedField(path:field:reason:)`` naming the field at fault.
    public init(contentsOf file: URL) throws {
        let contents = try TokenListFile.read(from: file, expectedKind: Self.fileKind)
        do {
            try self.init(
                words: contents.tokens, specialTokens: contents.specialTokens,
                unknownToken: contents.unknownToken, field: "tokens")
        } catch TokenizerError.invalidConfiguration(let field, let reason) {
            throw TokenizerError.malformedField(path: file.path, field: field, reason: reason)
        }
    }

    init(words: [String], specialTokens: [String], unknownToken: String, field: String) throws {
        let specials = CharacterTokenizer.specialList(specialTokens, unknownToken: unknownToken)
        self.specialTokenSet = try SpecialTokenSet(specials.enumerated().map { ($1, $0) })
        var idByWord: [ByteString: Int] = [:]
        for (index, word) in words.enumerated() {
            guard !word.isEmpty else {
                throw TokenizerError.invalidConfiguration(field: "\(field)[\(index)]", reason: "a word cannot be empty")
            }
            guard idByWord.updateValue(specials.count + index, forKey: ByteString(word)) == nil else {
                throw TokenizerError.invalidConfiguration(field: "\(field)[\(index)]", reason: "\(word.debugDescription) appears twice")
            }
        }
        self.entries = specials + words
        self.idByWord = idByWord
        self.unknownToken = unknownToken
        self.unknownTokenID = specials.firstIndex(of: unknownToken)!
    }

    public var vocabularySize: Int { entries.count }

    public var specialTokens: [String] { specialTokenSet.tokens }

    public func token(for id: Int) -> String? {
        entries.indices.contains(id) ? entries[id] : nil
    }

    public func id(for token: String) -> Int? {
        specialTokenSet.id(for: token) ?? idByWord[ByteString(token)]
    }

    public func specialTokenID(_ name: String) -> Int? {
        specialTokenSet.id(for: name)
    }

    /// Converts text to ids, one per piece; unknown pieces become ``unknownTokenID``.
    public func encode(_ text: String) -> [Int] {
        var ids: [Int] = []
        for segment in specialTokenSet.split(text) {
            switch segment {
            case .special(_, let id):
                ids.append(id)
            case .text(let piece):
                for word in Self.split(piece) { ids.append(idByWord[ByteString(Array(word.utf8))] ?? unknownTokenID) }
            }
        }
        return ids
    }

    /// Joins the ids' texts; the unknown token decodes to its own text.
    public func decode(_ ids: [Int]) throws -> String {
        var text = ""
        for id in ids {
            guard entries.indices.contains(id) else {
                throw TokenizerError.unknownTokenID(id, vocabularySize: vocabularySize)
            }
            text += entries[id]
        }
        return text
    }

    /// Saves the vocabulary as JSON (see the file format in `TokenListFile`), atomically.
    public func save(to file: URL) throws {
        let specialCount = specialTokenSet.tokens.count
        try TokenListFile(
            kind: Self.fileKind, specialTokens: specialTokenSet.tokens,
            tokens: Array(entries[specialCount...]), unknownToken: unknownToken
        ).write(to: file)
    }
}
