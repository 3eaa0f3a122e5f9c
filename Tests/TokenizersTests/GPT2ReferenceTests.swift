import Foundation
import Testing
import Tokenizers

/// GPT-2's tokenizer must reproduce `reference.jsonl` exactly: ids from Hugging Face
/// `tokenizers` 0.23.3 (recipe: `python make_fixtures.py tokenizer` in the fixtures folder).
@Suite struct GPT2ReferenceTests {
    struct ReferenceCase: Decodable, Sendable {
        var text: String
        var ids: [Int]
        var tokens: [String]
    }

    /// Loaded once: parsing the 1 MB vocabulary per test would dominate the suite's time.
    static let gpt2: Result<BytePairTokenizer, any Error> = Result {
        try BytePairTokenizer(
            vocabularyFile: try Fixtures.gpt2File("vocab.json"),
            mergesFile: try Fixtures.gpt2File("merges.txt"))
    }

    static func referenceCases() throws -> [ReferenceCase] {
        let data = try Data(contentsOf: try Fixtures.gpt2File("reference.jsonl"))
        return try String(decoding: data, as: UTF8.self)
            .split(separator: "\n")
            .map { try JSONDecoder().decode(ReferenceCase.self, from: Data($0.utf8)) }
    }

    @Test func referenceFileHasAllCases() throws {
        #expect(try Self.referenceCases().count == 49)
    }

    @Test func loadsGPT2Vocabulary() throws {
        let gpt2 = try Self.gpt2.get()
        #expect(gpt2.vocabularySize == 50257)
        #expect(gpt2.mergeCount == 50000)
        #expect(gpt2.specialTokenID("<|endoftext|>") == 50256)
        #expect(gpt2.token(for: 995) == "Ġworld")
        #expect(gpt2.id(for: "Ġt") == 256)
        #expect(gpt2.specialTokenID("<unk>") == nil)
    }

    @Test func everyReferenceLineEncodesAndDecodesExactly() throws {
        let gpt2 = try Self.gpt2.get()
        for (index, reference) in try Self.referenceCases().enumerated() {
            let ids = gpt2.encode(reference.text)
            #expect(ids == reference.ids, "line \(index + 1): \(reference.text.debugDescription)")
            #expect(ids.map { gpt2.token(for: $0) } == reference.tokens, "line \(index + 1)")
            #expect(try gpt2.decode(reference.ids) == reference.text, "line \(index + 1)")
        }
    }

    @Test(arguments: [
        ("a   b", [64, 220, 220, 275]),
        ("Hello<|endoftext|>World", [15496, 50256, 10603]),
        ("DON'T", [41173, 6, 51]),
    ])
    func documentedExamples(text: String, expected: [Int]) throws {
        let gpt2 = try Self.gpt2.get()
        #expect(gpt2.encode(text) == expected)
        #expect(try gpt2.decode(expected) == text)
    }

    @Test func decodeRejectsIDsOutsideVocabulary() throws {
        let gpt2 = try Self.gpt2.get()
        #expect(throws: TokenizerError.unknownTokenID(50257, vocabularySize: 50257)) {
            try gpt2.decode([15496, 50257])
        }
        #expect(throws: TokenizerError.self) { try gpt2.decode([-1]) }
    }

    @Test func decodeCanSkipSpecialTokens() throws {
        let gpt2 = try Self.gpt2.get()
        #expect(try gpt2.decode([15496, 50256, 10603], skippingSpecialTokens: true) == "HelloWorld")
        #expect(gpt2.isSpecialToken(50256))
        #expect(!gpt2.isSpecialToken(15496))
    }

    /// Words over 48 bytes take the heap-based merge loop; ids from Hugging Face `tokenizers`
    /// 0.23.3 (`Tokenizer(BPE.from_file(vocab, merges))`, `ByteLevel(add_prefix_space=False)`).
    @Test(arguments: [
        (String(repeating: "abcdefgh", count: 40), Array(repeating: [39305, 4299, 456], count: 40).flatMap { $0 }),
        (String(repeating: "supercalifragilisticexpialidocious", count: 3),
         Array(repeating: [16668, 9948, 361, 22562, 346, 396, 501, 42372, 498, 312, 32346], count: 3).flatMap { $0 }),
        (String(repeating: "Donaudampfschifffahrtsgesellschaftskapitänswitwe", count: 2),
         Array(repeating: [3987, 3885, 696, 9501, 354, 361, 487, 993, 81, 912, 3212, 19187, 11693, 701, 8135, 499, 270, 11033, 77, 2032, 270, 732], count: 2).flatMap { $0 }),
        (String(repeating: "a", count: 73), Array(repeating: 24794, count: 18) + [64]),
    ])
    func longWordsMatchHuggingFace(text: String, expected: [Int]) throws {
        let gpt2 = try Self.gpt2.get()
        #expect(gpt2.encode(text) == expected)
        #expect(try gpt2.decode(expected) == text)
    }
}
