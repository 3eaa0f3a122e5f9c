import Foundation
import Tokenizers

// Document layout as in SEAL (Bevilacqua et al. 2022, Section 4.1 and the released code):
// each passage is indexed as  <|title|> title <|/title|> body,  so that a title can be
// decoded as an n-gram that starts with the title-start marker and ends with the title-end
// marker (an exact title), and body n-grams never need the markers.

/// A byte-level BPE tokenizer with the markers the retriever needs.
///
/// ```swift
/// let tokens = try PassageTokenizer(BytePairTrainer(vocabularySize: 4096,
///     specialTokens: PassageTokenizer.specialTokens).train(on: texts))
/// let ids = tokens.encode(passage)           // [titleStart, ..., titleEnd, ...body]
/// let prompt = tokens.prompt(query: "who won?", target: .body)
/// ```
public struct PassageTokenizer: Sendable {
    /// The special tokens, in the order a trained tokenizer gives them ids.
    public static let specialTokens = ["<|endoftext|>", "<|title|>", "<|/title|>", "<|body|>"]

    /// What a generator prompt asks for.
    public enum Target: String, Sendable, Codable {
        /// An n-gram of a passage body.
        case body
        /// A whole title, between the title markers.
        case title
    }

    /// The wrapped tokenizer.
    public let base: BytePairTokenizer
    /// End of text: padding and separator.
    public let endOfText: Int
    /// Starts a title in documents and title prompts.
    public let titleStart: Int
    /// Ends a title in documents; the stop token of title generation.
    public let titleEnd: Int
    /// Ends a query in prompts that ask for a body n-gram.
    public let bodyMarker: Int

    /// Wraps `base`, which must know ``specialTokens``.
    /// - Throws: ``RetrievalError/invalidSetting(field:reason:)`` naming a missing marker.
    public init(_ base: BytePairTokenizer) throws {
        func id(_ name: String) throws -> Int {
            guard let id = base.specialTokenID(name) else {
                throw RetrievalError.invalidSetting(field: "tokenizer", reason: "special token \(name) is not registered")
            }
            return id
        }
        self.base = base
        endOfText = try id(Self.specialTokens[0])
        titleStart = try id(Self.specialTokens[1])
        titleEnd = try id(Self.specialTokens[2])
        bodyMarker = try id(Self.specialTokens[3])
    }

    /// Loads `vocab.json` + `merges.txt` from `directory` (a GPT-2 folder or one written by
    /// ``save(to:)``), or its byte-level BPE `tokenizer.json` when it has no `vocab.json`;
    /// missing markers get the next free ids.
    public init(directory: URL) throws {
        try self.init(BytePairTokenizer(directory: directory, specialTokens: Self.specialTokens))
    }

    /// Trains a byte-level BPE of `vocabularySize` tokens on the passages' titles and texts.
    public static func train(on passages: [Passage], vocabularySize: Int) throws -> PassageTokenizer {
        let trainer = try BytePairTrainer(vocabularySize: vocabularySize, specialTokens: specialTokens)
        let texts = passages.lazy.flatMap { [" " + $0.displayTitle, " " + $0.text] }
        return try PassageTokenizer(trainer.train(on: texts))
    }

    /// Saves `vocab.json` and `merges.txt` into `directory`.
    public func save(to directory: URL) throws { try base.save(to: directory) }

    /// Number of token ids.
    public var vocabularySize: Int { base.vocabularySize }

    /// Plain text to ids; marker spellings typed by a user are not markers.
    public func encode(text: String) -> [Int] {
        base.encode(text.replacingOccurrences(of: "<|", with: "<"))
    }

    /// The title n-gram `<|title|> title <|/title|>`.
    public func encode(title: String) -> [Int] {
        [titleStart] + encode(text: " " + title.replacingOccurrences(of: "_", with: " ")) + [titleEnd]
    }

    /// The indexed tokens of a passage: its title n-gram, then the body.
    public func encode(_ passage: Passage) -> [Int] {
        encode(title: passage.title) + encode(text: " " + passage.text)
    }

    /// The body of a query as the generator sees it (leading space, as in SEAL).
    public func encode(query: String) -> [Int] {
        encode(text: " " + query.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The prompt for generating a `target` n-gram for `query`: query tokens, then the
    /// body marker or the title start (which is also the first token of a title n-gram).
    public func prompt(query: String, target: Target) -> [Int] {
        prompt(queryTokens: encode(query: query), target: target)
    }

    /// The prompt for already-encoded query tokens.
    public func prompt(queryTokens: [Int], target: Target) -> [Int] {
        queryTokens + [target == .body ? bodyMarker : titleStart]
    }

    /// Text of `ids` with markers removed.
    public func decode(_ ids: [Int]) -> String {
        (try? base.decode(ids.filter { $0 != titleStart && $0 != titleEnd && $0 != bodyMarker && $0 != endOfText })) ?? ""
    }
}
