import Foundation
import Testing
import Tokenizers

@Suite struct CharacterTokenizerTests {
    static let corpus = ["First Citizen:\nBefore we proceed any further, hear me speak.", "naïve café 😀 e\u{301}"]

    @Test(arguments: ["hear me", "First\n", "café 😀", "e\u{301}", ""])
    func roundTripsCoveredText(text: String) throws {
        let chars = try CharacterTokenizer(corpus: Self.corpus)
        let ids = chars.encode(text)
        #expect(ids.count == text.unicodeScalars.count)
        #expect(!ids.contains(chars.unknownTokenID))
        #expect(try chars.decode(ids).unicodeScalars.elementsEqual(text.unicodeScalars))
    }

    @Test func vocabularyIsSortedScalarsAfterSpecials() throws {
        let chars = try CharacterTokenizer(corpus: ["cab", "a"], specialTokens: ["<pad>"])
        #expect(chars.vocabularySize == 5)
        #expect((0..<5).map { chars.token(for: $0) } == ["<unk>", "<pad>", "a", "b", "c"])
        #expect(chars.specialTokenID("<pad>") == 1)
        #expect(chars.id(for: "b") == 3)
    }

    @Test func unknownScalarsBecomeUnknownToken() throws {
        let chars = try CharacterTokenizer(corpus: ["abc"], specialTokens: ["<|endoftext|>"])
        let ids = chars.encode("abz<|endoftext|>é")
        #expect(ids == [2, 3, 0, 1, 0])
        #expect(try chars.decode(ids) == "ab<unk><|endoftext|><unk>")
        #expect(throws: TokenizerError.unknownTokenID(99, vocabularySize: chars.vocabularySize)) {
            try chars.decode([99])
        }
    }

    @Test func precomposedAndDecomposedStayDistinct() throws {
        let chars = try CharacterTokenizer(corpus: ["\u{E9}"])
        #expect(chars.encode("e\u{301}") == [0, 0])
        #expect(chars.encode("\u{E9}") == [1])
    }

    @Test func saveAndLoadPreserveVocabulary() throws {
        let chars = try CharacterTokenizer(corpus: Self.corpus, specialTokens: ["<|endoftext|>"])
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("characters.json")
        try chars.save(to: file)
        let loaded = try CharacterTokenizer(contentsOf: file)
        #expect(loaded.vocabularySize == chars.vocabularySize)
        #expect((0..<chars.vocabularySize).map { loaded.token(for: $0) } == (0..<chars.vocabularySize).map { chars.token(for: $0) })
        let text = Self.corpus.joined(separator: "<|endoftext|>")
        #expect(loaded.encode(text) == chars.encode(text))
        #expect(try loaded.decode(loaded.encode(text)).unicodeScalars.elementsEqual(text.unicodeScalars))
    }

    @Test(arguments: [
        (#"{"kind": "character", "specialTokens": ["<unk>"], "tokens": ["a", "bc"], "unknownToken": "<unk>"}"#, "tokens[1]"),
        (#"{"kind": "character", "specialTokens": ["<unk>"], "tokens": ["a", "a"], "unknownToken": "<unk>"}"#, "tokens[1]"),
        (#"{"kind": "word", "specialTokens": ["<unk>"], "tokens": ["a"], "unknownToken": "<unk>"}"#, "kind"),
        (#"{"kind": "character", "specialTokens": [], "tokens": ["a"], "unknownToken": "<unk>"}"#, "unknownToken"),
        (#"{"kind": "character", "specialTokens": ["<unk>"], "unknownToken": "<unk>"}"#, "tokens"),
        (#"{"kind": "character", "specialTokens": ["<unk>"], "tokens": [1], "unknownToken": "<unk>"}"#, "tokens[0]"),
    ])
    func malformedFilesNameTheField(json: String, field: String) throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("characters.json")
        try Data(json.utf8).write(to: file)
        #expect {
            _ = try CharacterTokenizer(contentsOf: file)
        } throws: { error in
            guard case let TokenizerError.malformedField(path, errorField, _) = error else { return false }
            return path == file.path && errorField == field
        }
    }
}
