import Foundation

/// A tokenizer with one token per Unicode scalar, built from the characters of a corpus.
///
/// Scalars rather than Swift `Character`s (grapheme clusters) are the unit: the vocabulary
/// stays small and closed (an emoji ZWJ sequence is a few scalars, not one new token), it
/// matches Python's `str` indexing used by char-level models such as nanoGPT's
/// shakespeare_char, and concatenating scalars restores text byte for byte. Scalars missing
/// from the vocabulary become the unknown token, so `decode(encode(text)) == text` holds
/// exactly when every scalar of `text` was in the corpus.
///
/// ```swift
/// let chars = try CharacterTokenizer(corpus: [shakespeare], specialTokens: ["<|endoftext|>"])
/// let ids = chars.encode("To be")
/// try chars.save(to: folder.appending(path: "characters.json"))
/// ```
public struct CharacterTokenizer: Tokenizer {
    /// The unknown token used unless another is given.
    public static let defaultUnknownToken = "<unk>"
    static let fileKind = "character"

    /// The token standing for scalars outside the vocabulary; always a special token.
    public let unknownToken: String
    /// The id of ``unknownToken``.
    public let unknownTokenID: Int
    /// Each id's text: special tokens first, then one scalar per id.
    let entries: [String]
    let idByScalar: [UInt32: Int]
    let specialTokenSet: SpecialTokenSet

    /// Builds the vocabulary from every scalar that occurs in a corpus, in scalar-value order.
    ///
    /// - Parameters:
    ///   - corpus: Texts whose scalars form the vocabulary (special tokens in them are skipped).
    ///   - specialTokens: Extra special tokens, after the unknown token.
    ///   - unknownToken: The special token for scalars outside the vocabulary (id 0).
    public init(
        corpus: some Sequence<String>, specialTokens: [String] = [],
        unknownToken: String = CharacterTokenizer.defaultUnknownToken
    ) throws {
        let specials = Self.specialList(specialTokens, unknownToken: unknownToken)
        let cutter = try SpecialTokenSet(specials.enumerated().map { ($1, $0) })
        var scalars = Set<UInt32>()
        for text in corpus {
            for segment in cutter.split(text) {
                if case .text(let piece) = segment {
                    for scalar in piece.unicodeScalars { scalars.insert(scalar.value) }
                }
            }
        }
        try self.init(
            characters: scalars.sorted().map { String(Unicode.Scalar($0)!) },
            specialTokens: specials, unknownToken: unknownToken, field: "characters")
    }

    /// Loads a tokenizer saved by ``save(to:)``.
    ///
    /// - Throws: ``TokenizerError/malformedField(path:field:reason:)`` naming the field at fault.
    public init(contentsOf file: URL) throws {
        let contents = try TokenListFile.read(from: file, expectedKind: Self.fileKind)
        do {
            try self.init(
                characters: contents.tokens, specialTokens: contents.specialTokens,
                unknownToken: contents.unknownToken, field: "tokens")
        } catch TokenizerError.invalidConfiguration(let field, let reason) {
            throw TokenizerError.malformedField(path: file.path, field: field, reason: reason)
        }
    }

    /// - Parameter field: How to name the character list in error messages.
    init(characters: [String], specialTokens: [String], unknownToken: String, field: String) throws {
        let specials = Self.specialList(specialTokens, unknownToken: unknownToken)
        self.specialTokenSet = try SpecialTokenSet(specials.enumerated().map { ($1, $0) })
        var idByScalar: [UInt32: Int] = [:]
        for (index, character) in characters.enumerated() {
            let scalars = character.unicodeScalars
            guard scalars.count == 1, let scalar = scalars.first else {
                throw TokenizerError.invalidConfiguration(
                    field: "\(field)[\(index)]", reason: "\(character.debugDescription) is not exactly one Unicode scalar")
            }
            guard idByScalar.updateValue(specials.count + index, forKey: scalar.value) == nil else {
                throw TokenizerError.invalidConfiguration(
                    field: "\(field)[\(index)]", reason: "\(character.debugDescription) appears twice")
            }
        }
        self.entries = specials + characters
        self.idByScalar = idByScalar
        self.unknownToken = unknownToken
        self.unknownTokenID = specials.firstIndex(of: unknownToken)!
    }

    /// Puts the unknown token first unless the caller already placed it.
    static func specialList(_ specialTokens: [String], unknownToken: String) -> [String] {
        specialTokens.contains(unknownToken) ? specialTokens : [unknownToken] + specialTokens
    }

    public var vocabularySize: Int { entries.count }

    public var specialTokens: [String] { specialTokenSet.tokens }

    public func token(for id: Int) -> String? {
        entries.indices.contains(id) ? entries[id] : nil
    }

    public func id(for token: String) -> Int? {
        if let special = specialTokenSet.id(for: token) { return special }
        let scalars = token.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first else { return nil }
        return idByScalar[scalar.value]
    }

    public func specialTokenID(_ name: String) -> Int? {
        specialTokenSet.id(for: name)
    }

    /// Converts text to ids, one per scalar; unknown scalars become ``unknownTokenID``.
    public func encode(_ text: String) -> [Int] {
        var ids: [Int] = []
        for segment in specialTokenSet.split(text) {
            switch segment {
            case .special(_, let id):
                ids.append(id)
            case .text(let piece):
                for scalar in piece.unicodeScalars { ids.append(idByScalar[scalar.value] ?? unknownTokenID) }
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
