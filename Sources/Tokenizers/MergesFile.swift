import Foundation

/// Reads and writes `merges.txt`: an optional `#version` line, then one merge rule per line,
/// two token spellings separated by one space, highest priority first.
enum MergesFile {
    /// The header GPT-2's file and Hugging Face's writers use.
    static let versionHeader = "#version: 0.2"

    /// Reads merge rules and resolves their spellings to ids.
    ///
    /// - Parameters:
    ///   - url: The merges file.
    ///   - idBySpelling: The vocabulary; both sides and their concatenation must be in it.
    ///   - vocabularyName: How to name the vocabulary in messages (its file name).
    /// - Throws: ``TokenizerError/malformedFile(path:line:column:reason:)`` with the 1-based line.
    static func read(
        from url: URL, idBySpelling: [ByteString: Int], vocabularyName: String
    ) throws -> [(Int32, Int32)] {
        let data = try FileAccess.read(url)
        guard let text = String(validating: [UInt8](data), as: UTF8.self) else {
            throw TokenizerError.malformedFile(path: url.path, line: 1, column: nil, reason: "the file is not valid UTF-8")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // The final newline leaves one empty string behind; it is not a line.
        if lines.last?.isEmpty == true { lines.removeLast() }
        var merges: [(Int32, Int32)] = []
        merges.reserveCapacity(lines.count)
        for (index, rawLine) in lines.enumerated() {
            let lineNumber = index + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if index == 0, line.hasPrefix("#version") { continue }
            func fail(_ reason: String) -> TokenizerError {
                .malformedFile(path: url.path, line: lineNumber, column: nil, reason: reason)
            }
            guard let (left, right) = split(line) else {
                throw fail("expected two tokens separated by one space, found \"\(line)\"")
            }
            do {
                merges.append(try resolve(left, right, idBySpelling: idBySpelling, vocabularyName: vocabularyName))
            } catch {
                throw fail(error.reason)
            }
        }
        return merges
    }

    /// Splits a rule spelled `"left right"`: two non-empty spellings around one space, the
    /// layout of `merges.txt` lines and of older `tokenizer.json` files' `model.merges`.
    static func split(_ line: Substring) -> (Substring, Substring)? {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (parts[0], parts[1])
    }

    /// Why a merge rule names a token the vocabulary lacks, as a phrase for an error message.
    struct UnresolvedMerge: Error {
        var reason: String
    }

    /// Resolves one merge rule to the ids of its two sides; both sides and their
    /// concatenation must be in the vocabulary, as Hugging Face `tokenizers` requires.
    /// Spellings in the reason are JSON-quoted, so a control character cannot break the line.
    ///
    /// - Parameter vocabularyName: How to name the vocabulary in the reason (a file name or field).
    static func resolve<Spelling: StringProtocol>(
        _ left: Spelling, _ right: Spelling, idBySpelling: [ByteString: Int], vocabularyName: String
    ) throws(UnresolvedMerge) -> (Int32, Int32) {
        guard let leftID = idBySpelling[ByteString(String(left))] else {
            throw UnresolvedMerge(reason: "token \(JSONObjectParser.quoted(String(left))) is not in \(vocabularyName)")
        }
        guard let rightID = idBySpelling[ByteString(String(right))] else {
            throw UnresolvedMerge(reason: "token \(JSONObjectParser.quoted(String(right))) is not in \(vocabularyName)")
        }
        guard idBySpelling[ByteString(String(left) + String(right))] != nil else {
            throw UnresolvedMerge(reason: "merged token \(JSONObjectParser.quoted(String(left) + String(right))) is not in \(vocabularyName)")
        }
        return (Int32(leftID), Int32(rightID))
    }

    /// Writes merge rules, spelled in the byte-level alphabet, atomically.
    static func write(_ merges: [(String, String)], to url: URL) throws {
        var text = versionHeader + "\n"
        for (left, right) in merges {
            text += left + " " + right + "\n"
        }
        try FileAccess.writeAtomically(Data(text.utf8), to: url)
    }
}
