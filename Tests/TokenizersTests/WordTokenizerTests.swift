import Foundation
import Testing
import Tokenizers

@Suite struct WordTokenizerTests {
    static let corpus = [
        "The cat sat on the mat. The dog sat on the log!",
        "Did the cat see the dog?  Yes, the cat did.\n",
    ]

    @Test(arguments: [
        ("Hi, you  there.", ["Hi", ",", " ", "you", "  ", "there", "."]),
        ("e\u{301}t\u{E9} 42x", ["e\u{301}t\u{E9}", " ", "42x"]),
        ("a--b\n\n", ["a", "-", "-", "b", "\n\n"]),
        ("", []),
    ])
    func splitsIntoWordsPunctuationAndSpaces(text: String, expected: [String]) {
        let pieces = WordTokenizer.split(text)
        #expect(pieces.map { Array($0.unicodeScalars) } == expected.map { Array($0.unicodeScalars) })
    }

    @Test func roundTripsCoveredText() throws {
        let words = try WordTokenizer(corpus: Self.corpus)
        for text in Self.corpus + ["the dog sat on the cat."] {
            let ids = words.encode(text)
            #expect(!ids.contains(words.unknownTokenID))
            #expect(try words.decode(ids) == text)
        }
    }

    @Test func unknownWordsBecomeUnknownToken() throws {
        let words = try WordTokenizer(corpus: Self.corpus)
        let ids = words.encode("the zebra sat")
        #expect(ids[2] == words.unknownTokenID)
        #expect(try words.decode(ids) == "the <unk> sat")
    }

    @Test func frequencyAndSizeLimitsShapeVocabulary() throws {
        let frequent = try WordTokenizer(corpus: Self.corpus, minimumFrequency: 3)
        // "the" ×5, " " ×many, "cat" ×3, "." ×2 ... only pieces seen 3+ times remain.
        #expect(frequent.id(for: "the") != nil)
        #expect(frequent.id(for: "cat") != nil)
        #expect(frequent.id(for: "mat") == nil)
        let capped = try WordTokenizer(corpus: Self.corpus, maximumVocabularySize: 4, specialTokens: ["<pad>"])
        #expect(capped.vocabularySize == 4)
        // The two most frequent pieces: " " then "the".
        #expect((0..<4).map { capped.token(for: $0) } == ["<unk>", "<pad>", " ", "the"])
        #expect(throws: TokenizerError.self) { try WordTokenizer(corpus: Self.corpus, maximumVocabularySize: 1, specialTokens: ["<pad>"]) }
    }

    @Test func canonicallyEquivalentWordsStayDistinct() throws {
        let words = try WordTokenizer(corpus: ["caf\u{E9} cafe\u{301}"])
        let precomposed = words.encode("caf\u{E9}")
        let decomposed = words.encode("cafe\u{301}")
        #expect(precomposed != decomposed)
        #expect(try words.decode(decomposed).unicodeScalars.elementsEqual("cafe\u{301}".unicodeScalars))
    }

    @Test func saveAndLoadPreserveVocabulary() throws {
        let words = try WordTokenizer(corpus: Self.corpus, specialTokens: ["<|endoftext|>"])
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("words.json")
        try words.save(to: file)
        let loaded = try WordTokenizer(contentsOf: file)
        #expect(loaded.vocabularySize == words.vocabularySize)
        let text = Self.corpus.joined(separator: "<|endoftext|>")
        #expect(loaded.encode(text) == words.encode(text))
        #expect(try loaded.decode(loaded.encode(text)) == text)
        #expect(throws: TokenizerError.self) { try CharacterTokenizer(contentsOf: file) }
    }
}
