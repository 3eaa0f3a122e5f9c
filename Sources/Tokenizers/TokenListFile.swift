import FileIO
import Foundation

/// The JSON file ``CharacterTokenizer`` and ``WordTokenizer`` save to and load from.
///
/// Ids are implicit: special tokens take `0..<specialTokens.count` in order, then `tokens`
/// follow. Keeping the list ordered (rather than a token-to-id object) makes the file diff
/// well and rules out two tokens claiming one id.
///
/// ```json
/// {"kind": "character", "specialTokens": ["<unk>", "<pad>"], "tokens": ["\n", " ", "a"], "unknownToken": "<unk>"}
/// ```
struct TokenListFile: Codable, Equatable {
    /// `"character"` or `"word"`, so one tokenizer never silently loads the other's file.
    var kind: String
    /// Special tokens in id order; includes ``unknownToken``.
    var specialTokens: [String]
    /// Ordinary tokens in id order, after the special tokens.
    var tokens: [String]
    /// The special token that stands for text outside the vocabulary.
    var unknownToken: String

    /// Reads a file and checks its kind and the unknown token.
    ///
    /// - Throws: ``TokenizerError/malformedField(path:field:reason:)`` naming the field at fault.
    static func read(from url: URL, expectedKind: String) throws -> TokenListFile {
        let data = try FileAccess.read(url)
        let file: TokenListFile
        do {
            file = try JSONDecoder().decode(TokenListFile.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw TokenizerError.malformedField(
                path: url.path, field: fieldName(context.codingPath + [key]), reason: "is missing")
        } catch let DecodingError.typeMismatch(_, context) {
            throw TokenizerError.malformedField(
                path: url.path, field: fieldName(context.codingPath), reason: context.debugDescription)
        } catch let DecodingError.valueNotFound(_, context) {
            throw TokenizerError.malformedField(
                path: url.path, field: fieldName(context.codingPath), reason: "is null")
        } catch {
            // Syntax errors: Foundation's message carries the line and column.
            throw TokenizerError.malformedField(
                path: url.path, field: "(document)", reason: "is not valid JSON: \(error)")
        }
        guard file.kind == expectedKind else {
            throw TokenizerError.malformedField(
                path: url.path, field: "kind", reason: "is \"\(file.kind)\", expected \"\(expectedKind)\"")
        }
        guard file.specialTokens.contains(file.unknownToken) else {
            throw TokenizerError.malformedField(
                path: url.path, field: "unknownToken", reason: "\"\(file.unknownToken)\" is not in specialTokens")
        }
        return file
    }

    /// Writes the file atomically, with sorted keys so saves are reproducible.
    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            throw TokenizerError.fileAccess(path: url.path, reason: "cannot be encoded (\(error))")
        }
        try FileAccess.writeAtomically(data, to: url)
    }

    private static func fieldName(_ path: [any CodingKey]) -> String {
        DecodingError.pathDescription(path)
    }
}
