import Commands
import Foundation
import Testing
import Tokenizers

/// `TokenizerFolder.load` picks `tokenizer.json` when it is the folder's only tokenizer file
/// and keeps preferring `vocab.json` + `merges.txt` when both are there.
struct TokenizerFolderTests {
    /// The tiny `tokenizers`-trained fixture of TokenizersTests (see its TokenizerJSONTests).
    static let tinyTokenizerJSON = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TokenizersTests/Fixtures/tokenizer-json/tiny-pairs.tokenizer.json")

    @Test func loadsTokenizerJSONWhenItIsTheOnlyTokenizerFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Self.tinyTokenizerJSON, to: folder.appendingPathComponent("tokenizer.json"))
        let tokenizer = try #require(try TokenizerFolder.load(from: folder) as? BytePairTokenizer)
        #expect(tokenizer.vocabularySize == 300)
        #expect(TokenizerFolder.endOfTextID(tokenizer) == 0)
        let text = "Hello world<|endoftext|>"
        #expect(try tokenizer.decode(tokenizer.encode(text)) == text)
        #expect(tokenizer.encode(text).last == 0)
    }

    @Test func prefersVocabularyAndMergesOverTokenizerJSON() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fromJSON = try BytePairTokenizer(tokenizerJSONFile: Self.tinyTokenizerJSON)
        // A different tokenizer as vocab.json + merges.txt: its first merge only.
        let vocabulary = (0..<fromJSON.vocabularySize).compactMap(fromJSON.token(for:)).filter { $0.count == 1 || $0 == "Ġt" }
        try BytePairTokenizer(vocabulary: vocabulary, merges: [("Ġ", "t")]).save(to: folder)
        try FileManager.default.copyItem(at: Self.tinyTokenizerJSON, to: folder.appendingPathComponent("tokenizer.json"))
        let loaded = try #require(try TokenizerFolder.load(from: folder) as? BytePairTokenizer)
        #expect(loaded.mergeCount == 1)
    }

    @Test func unsupportedTokenizerJSONIsRefusedNamingTheField() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var document = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.tinyTokenizerJSON)) as! [String: Any]
        document["pre_tokenizer"] = ["type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": false]
        try JSONSerialization.data(withJSONObject: document).write(to: folder.appendingPathComponent("tokenizer.json"))
        #expect {
            _ = try TokenizerFolder.load(from: folder)
        } throws: { error in
            "\(error)".contains("tokenizer.json, field pre_tokenizer.type: \"Metaspace\" is not supported")
        }
        #expect(TokenizerFolder.expectedFiles.contains("tokenizer.json"))
    }
}
