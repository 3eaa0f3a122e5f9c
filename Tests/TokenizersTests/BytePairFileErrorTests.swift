import Foundation
import Testing
import Tokenizers

/// Malformed `vocab.json` / `merges.txt` must produce errors that name the file and line.
@Suite struct BytePairFileErrorTests {
    /// A valid vocabulary with one entry per line: the 256 bytes, then `Ġt` and `he`.
    static func vocabularyLines() throws -> [String] {
        let spellings = ByteLevelAlphabet.bytesInVocabularyOrder.map { String(ByteLevelAlphabet.scalarForByte[Int($0)]) }
            + ["Ġt", "he"]
        return try spellings.enumerated().map { id, spelling in
            String(decoding: try JSONEncoder().encode(spelling), as: UTF8.self) + ": \(id)"
        }
    }

    /// Writes the two files into a fresh folder and loads them; returns the thrown error.
    static func loadError(vocabulary: String, merges: String) throws -> TokenizerError? {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(vocabulary.utf8).write(to: folder.appendingPathComponent("vocab.json"))
        try Data(merges.utf8).write(to: folder.appendingPathComponent("merges.txt"))
        do {
            _ = try BytePairTokenizer(directory: folder)
            return nil
        } catch let error as TokenizerError {
            return error
        }
    }

    static func validVocabulary() throws -> String {
        "{\n" + (try vocabularyLines()).joined(separator: ",\n") + "\n}\n"
    }

    @Test func validFilesLoad() throws {
        let error = try Self.loadError(vocabulary: Self.validVocabulary(), merges: "#version: 0.2\nĠ t\nh e\n")
        #expect(error == nil)
    }

    @Test(arguments: [
        ("#version: 0.2\nĠ t\nh e x\n", 3, "expected two tokens"),
        ("#version: 0.2\nĠ t\nh  e\n", 3, "expected two tokens"),
        ("Ġ t\n\n", 2, "expected two tokens"),
        ("#version: 0.2\nĠ €\n", 2, "not in vocab.json"),
        ("#version: 0.2\nĠ t\nt h\n", 3, "merged token \"th\" is not in vocab.json"),
    ])
    func malformedMergesNameFileAndLine(merges: String, line: Int, message: String) throws {
        let error = try #require(try Self.loadError(vocabulary: Self.validVocabulary(), merges: merges))
        guard case let .malformedFile(path, errorLine, _, reason) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(path.hasSuffix("/merges.txt"))
        #expect(errorLine == line)
        #expect(reason.contains(message), "\(reason)")
        #expect(error.description.contains("merges.txt line \(line)"))
    }

    @Test(arguments: [
        // (which entry to replace, replacement, expected line, message)
        (3, "\"x\" 5", 5, "expected ':'"),
        (10, "\"y\": 1.5", 12, "not an integer"),
        (20, "\"z\": 7", 22, "used by another token"),
        (30, "\"!\": 300", 32, "appears twice"),
        (40, "\"w\": -3", 42, "outside"),
        (50, "\"bad\\q\": 400", 52, "invalid escape"),
    ])
    func malformedVocabularyNamesFileAndLine(entry: Int, replacement: String, line: Int, message: String) throws {
        var lines = try Self.vocabularyLines()
        lines[entry] = replacement
        let vocabulary = "{\n" + lines.joined(separator: ",\n") + "\n}\n"
        let error = try #require(try Self.loadError(vocabulary: vocabulary, merges: "#version: 0.2\n"))
        guard case let .malformedFile(path, errorLine, column, reason) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(path.hasSuffix("/vocab.json"))
        #expect(errorLine == line)
        #expect(column != nil)
        #expect(reason.contains(message), "\(reason)")
        #expect(error.description.contains("vocab.json line \(line)"))
    }

    @Test func truncatedVocabularyNamesLastLine() throws {
        let truncated = String(try Self.validVocabulary().dropLast(3))
        let error = try #require(try Self.loadError(vocabulary: truncated, merges: ""))
        #expect(error.description.contains("vocab.json line 259"), "\(error)")
    }

    @Test func missingByteTokenNamesVocabularyFile() throws {
        let lines = try Self.vocabularyLines().filter { !$0.hasPrefix("\"Ċ\"") }
        let error = try #require(try Self.loadError(vocabulary: "{" + lines.joined(separator: ",") + "}", merges: ""))
        #expect(error.description.contains("vocab.json"))
        #expect(error.description.contains("0xa"))
    }

    @Test func missingFileNamesPath() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            _ = try BytePairTokenizer(directory: folder)
        } throws: { error in
            guard case let TokenizerError.fileAccess(path, _) = error else { return false }
            return path.hasSuffix("vocab.json")
        }
    }
}
