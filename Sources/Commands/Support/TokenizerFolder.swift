import Foundation
import Tokenizers

/// Where a model folder keeps its tokenizer, and how to read and write it.
///
/// - `vocab.json` + `merges.txt`: byte-level BPE (a Hugging Face GPT-2 folder, or a BPE
///   trained by `nexttoken lm train --tokenizer bpe`), special token `<|endoftext|>`.
/// - `tokenizer.json`, when there is no `vocab.json`: a Hugging Face single-file byte-level
///   BPE (its added tokens special, plus `<|endoftext|>`) or BERT WordPiece
///   (``TokenizerJSON/load(_:specialTokens:)``); other kinds of `tokenizer.json`
///   (SentencePiece-style, Unigram) are refused with the field at fault.
/// - `characters.json`: a ``CharacterTokenizer`` (the default of `nexttoken lm train`).
/// - `words.json`: a ``WordTokenizer``.
///
/// ```swift
/// try TokenizerFolder.save(CharacterTokenizer(corpus: [text]), to: folder)
/// let tokenizer = try TokenizerFolder.load(from: folder)   // nil if the folder has none
/// ```
public enum TokenizerFolder {
    /// The character tokenizer's file name.
    public static let characterFileName = "characters.json"
    /// The word tokenizer's file name.
    public static let wordFileName = "words.json"
    /// The files looked for, for error messages.
    public static let expectedFiles = "vocab.json + merges.txt, tokenizer.json, characters.json or words.json"

    /// The tokenizer stored in `folder`, or nil when it holds none of the known files.
    ///
    /// - Throws: `TokenizerError` naming the file and line (or JSON field) of a malformed or
    ///   unsupported tokenizer file.
    public static func load(from folder: URL) throws -> (any Tokenizer)? {
        func exists(_ name: String) -> Bool {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
        }
        if exists(BytePairTokenizer.vocabularyFileName) {
            guard exists(BytePairTokenizer.mergesFileName) else {
                throw CommandFailure("\(folder.path): has \(BytePairTokenizer.vocabularyFileName) but no \(BytePairTokenizer.mergesFileName)")
            }
            return try BytePairTokenizer(directory: folder)
        }
        if exists(BytePairTokenizer.tokenizerJSONFileName) {
            return try TokenizerJSON.load(folder.appendingPathComponent(BytePairTokenizer.tokenizerJSONFileName))
        }
        if exists(characterFileName) {
            return try CharacterTokenizer(contentsOf: folder.appendingPathComponent(characterFileName))
        }
        if exists(wordFileName) {
            return try WordTokenizer(contentsOf: folder.appendingPathComponent(wordFileName))
        }
        return nil
    }

    /// Writes `tokenizer` into `folder` under the names ``load(from:)`` looks for.
    public static func save(_ tokenizer: any Tokenizer, to folder: URL) throws {
        switch tokenizer {
        case let bpe as BytePairTokenizer: try bpe.save(to: folder)
        case let characters as CharacterTokenizer: try characters.save(to: folder.appendingPathComponent(characterFileName))
        case let words as WordTokenizer: try words.save(to: folder.appendingPathComponent(wordFileName))
        default: throw CommandFailure("cannot save a tokenizer of type \(type(of: tokenizer)) into \(folder.path)")
        }
    }

    /// The id of the end-of-text token, if the tokenizer has one: generation stops there.
    public static func endOfTextID(_ tokenizer: any Tokenizer) -> Int? {
        tokenizer.specialTokenID("<|endoftext|>") ?? tokenizer.specialTokenID("</s>")
    }
}
