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
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw fail("expected two tokens separated by one space, found \"\(line)\"")
            }
            guard let left = idBySpelling[ByteString(String(parts[0]))] else {
                throw fail("token \"\(parts[0])\" is not in \(vocabularyName)")
            }
            guard let right = idBySpelling[ByteString(String(parts[1]))] else {
                throw fail("token \"\(parts[1])\" is not in \(vocabularyName)")
            }
            guard idBySpelling[ByteString(String(parts[0]) + String(parts[1]))] != nil else {
                throw fail("merged token \"\(parts[0])\(parts[1])\" is not in \(vocabularyName)")
            }
            merges.append((Int32(left), Int32(right)))
        }
        return merges
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
