import Foundation
import Testing
import Tokenizers

/// `BytePairTokenizer(tokenizerJSONFile:)` reproduces Hugging Face `tokenizers` 0.23.3 ids and
/// rejects the files it cannot reproduce with one-line errors naming the file and field.
///
/// Fixtures: `Fixtures/tokenizer-json/`, made by `python3 scripts/make_tokenizer_json_fixture.py`
/// (a BPE of 300 tokens trained by `tokenizers` on inline sentences, saved with merges as
/// pairs, the same file with merges as strings, and the library's ids for 20 strings).
@Suite struct TokenizerJSONTests {
    struct ReferenceCase: Decodable, Sendable {
        var text: String
        var ids: [Int]
        var tokens: [String]
    }

    static let fixtureFolder = Fixtures.packageRoot.appendingPathComponent("Tests/TokenizersTests/Fixtures/tokenizer-json")
    static let layouts = ["tiny-pairs.tokenizer.json", "tiny-strings.tokenizer.json"]

    static func fixture(_ name: String) -> URL { fixtureFolder.appendingPathComponent(name) }

    static func referenceCases() throws -> [ReferenceCase] {
        try JSONDecoder().decode([ReferenceCase].self, from: Data(contentsOf: fixture("tiny-reference.json")))
    }

    @Test(arguments: layouts)
    func tinyFixtureMatchesTokenizersReference(file: String) throws {
        let tokenizer = try BytePairTokenizer(tokenizerJSONFile: Self.fixture(file))
        #expect(tokenizer.vocabularySize == 300)
        #expect(tokenizer.mergeCount == 43)
        #expect(tokenizer.specialTokens == ["<|endoftext|>"])
        #expect(tokenizer.specialTokenID("<|endoftext|>") == 0)
        let cases = try Self.referenceCases()
        #expect(cases.count == 20)
        for reference in cases {
            let ids = tokenizer.encode(reference.text)
            #expect(ids == reference.ids, "\(reference.text.debugDescription)")
            #expect(ids.map { tokenizer.token(for: $0) } == reference.tokens, "\(reference.text.debugDescription)")
            #expect(try tokenizer.decode(ids) == reference.text)
        }
    }

    @Test func bothMergeLayoutsGiveTheSameTokenizer() throws {
        let pairs = try BytePairTokenizer(tokenizerJSONFile: Self.fixture(Self.layouts[0]))
        let strings = try BytePairTokenizer(tokenizerJSONFile: Self.fixture(Self.layouts[1]))
        #expect(pairs.merges.map { [$0.0, $0.1] } == strings.merges.map { [$0.0, $0.1] })
        #expect((0..<pairs.vocabularySize).map(pairs.token(for:)) == (0..<strings.vocabularySize).map(strings.token(for:)))
        let text = "The theory of the thing: 42 tokens, naïve café 🙂<|endoftext|> there"
        #expect(pairs.encode(text) == strings.encode(text))
    }

    @Test func extraSpecialTokensGetTheNextIDs() throws {
        let tokenizer = try BytePairTokenizer(
            tokenizerJSONFile: Self.fixture(Self.layouts[0]), specialTokens: ["<|endoftext|>", "<|pad|>"])
        #expect(tokenizer.specialTokens == ["<|endoftext|>", "<|pad|>"])
        #expect(tokenizer.specialTokenID("<|pad|>") == 300)
        #expect(tokenizer.encode("a<|pad|>") == [tokenizer.id(for: "a")!, 300])
    }

    // MARK: GPT-2

    /// GPT-2's `tokenizer.json` as `tokenizers` writes it (compare `make_tokenizer_json_fixture.py
    /// --gpt2`), assembled from the shared `vocab.json` and `merges.txt`; `preTokenizer` lets the
    /// `Split` + `ByteLevel` spelling of the same pre-tokenizer be checked too.
    static func gpt2Document(preTokenizer: [String: Any]) throws -> Data {
        let vocabulary = try JSONDecoder().decode([String: Int].self, from: Data(contentsOf: try Fixtures.gpt2File("vocab.json")))
        let mergeLines = String(decoding: try Data(contentsOf: try Fixtures.gpt2File("merges.txt")), as: UTF8.self)
            .split(separator: "\n").filter { !$0.hasPrefix("#version") }
        let byteLevel: [String: Any] = ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true]
        let document: [String: Any] = [
            "version": "1.0", "truncation": NSNull(), "padding": NSNull(),
            "added_tokens": [["id": 50256, "content": "<|endoftext|>", "single_word": false, "lstrip": false, "rstrip": false,
                              "normalized": false, "special": true]],
            "normalizer": NSNull(), "pre_tokenizer": preTokenizer, "post_processor": byteLevel, "decoder": byteLevel,
            "model": [
                "type": "BPE", "dropout": NSNull(), "unk_token": NSNull(), "continuing_subword_prefix": NSNull(),
                "end_of_word_suffix": NSNull(), "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
                "vocab": vocabulary,
                "merges": mergeLines.map { $0.split(separator: " ").map(String.init) },
            ] as [String: Any],
        ]
        #expect(vocabulary.count == 50257 && mergeLines.count == 50000)
        return try JSONSerialization.data(withJSONObject: document)
    }

    static func gpt2PreTokenizer(_ name: String) -> [String: Any] {
        let spellings: [String: [String: Any]] = [
        "ByteLevel": ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true],
        "Split+ByteLevel": ["type": "Sequence", "pretokenizers": [
            ["type": "Split", "pattern": ["Regex": #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#],
             "behavior": "Isolated", "invert": false],
            ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false],
        ]],
        ]
        return spellings[name]!
    }

    static func expectGPT2Reference(_ tokenizer: BytePairTokenizer) throws {
        #expect(tokenizer.vocabularySize == 50257)
        #expect(tokenizer.mergeCount == 50000)
        #expect(tokenizer.specialTokenID("<|endoftext|>") == 50256)
        let cases = try GPT2ReferenceTests.referenceCases()
        #expect(cases.count == 49)
        for (index, reference) in cases.enumerated() {
            let ids = tokenizer.encode(reference.text)
            #expect(ids == reference.ids, "reference.jsonl line \(index + 1): \(reference.text.debugDescription)")
            #expect(ids.map { tokenizer.token(for: $0) } == reference.tokens, "line \(index + 1)")
            #expect(try tokenizer.decode(reference.ids) == reference.text, "line \(index + 1)")
        }
    }

    @Test(arguments: ["ByteLevel", "Split+ByteLevel"])
    func gpt2TokenizerJSONMatchesReference(preTokenizer: String) throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(BytePairTokenizer.tokenizerJSONFileName)
        try Self.gpt2Document(preTokenizer: Self.gpt2PreTokenizer(preTokenizer)).write(to: file)
        try Self.expectGPT2Reference(try BytePairTokenizer(tokenizerJSONFile: file))
    }

    /// The file `tokenizers` 0.23.3 itself writes for GPT-2, committed in
    /// `Tests/Fixtures/gpt2-tokenizer-json` (`python3 scripts/make_tokenizer_json_fixture.py
    /// --gpt2 Tests/Fixtures/gpt2-tokenizer-json/tokenizer.json`).
    static let libraryGPT2File = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/gpt2-tokenizer-json/tokenizer.json")

    @Test
    func gpt2TokenizerJSONWrittenByTokenizersMatchesReference() throws {
        try Self.expectGPT2Reference(try BytePairTokenizer(tokenizerJSONFile: Self.libraryGPT2File))
    }
}
