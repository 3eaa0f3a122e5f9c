import Foundation
import Testing
import Tokenizers

/// all-MiniLM-L6-v2's `tokenizer.json` against Hugging Face `tokenizers` on 290 strings and on
/// every Unicode scalar (`Tests/Fixtures/minilm-tokenizer`, made by `make_bert_fixtures.py`).
@Suite struct WordPieceReferenceTests {
    static let folder = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/minilm-tokenizer")
    static let tokenizerFile = folder.appendingPathComponent("tokenizer.json")

    struct Case: Decodable {
        var text: String
        var ids: [Int]
        var ids_without_special: [Int]
        var ids_truncated_16: [Int]
        var decoded: String
        var decoded_with_special: String
    }

    struct Reference: Decodable { var cases: [Case] }

    static func cases() throws -> [Case] {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: folder.appendingPathComponent("reference.json"))).cases
    }

    @Test func idsMatchTheReferenceOnEveryString() throws {
        let tokenizer = try WordPieceTokenizer(tokenizerJSONFile: Self.tokenizerFile)
        let cases = try Self.cases()
        #expect(cases.count >= 200)
        var mismatches: [String] = []
        for item in cases {
            let ids = tokenizer.encode(item.text)
            if ids != item.ids { mismatches.append("\(item.text.debugDescription): \(ids) != \(item.ids)") }
            let bare = tokenizer.encode(item.text, addingSpecialTokens: false)
            if bare != item.ids_without_special { mismatches.append("\(item.text.debugDescription) without special: \(bare)") }
            let truncated = tokenizer.encode(item.text, addingSpecialTokens: true, maximumLength: 16)
            if truncated != item.ids_truncated_16 { mismatches.append("\(item.text.debugDescription) truncated: \(truncated)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }

    @Test func decodeMatchesTheReferenceOnEveryString() throws {
        let tokenizer = try WordPieceTokenizer(tokenizerJSONFile: Self.tokenizerFile)
        var mismatches: [String] = []
        for item in try Self.cases() {
            let skipped = try tokenizer.decode(item.ids, skippingSpecialTokens: true)
            if skipped != item.decoded { mismatches.append("\(item.text.debugDescription): \(skipped.debugDescription)") }
            let kept = try tokenizer.decode(item.ids)
            if kept != item.decoded_with_special { mismatches.append("\(item.text.debugDescription) with special: \(kept.debugDescription)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }

    @Test func specialTokensAndVocabulary() throws {
        let tokenizer = try WordPieceTokenizer(tokenizerJSONFile: Self.tokenizerFile)
        #expect(tokenizer.vocabularySize == 30522)
        #expect(tokenizer.specialTokens == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        #expect(tokenizer.specialTokenID("[MASK]") == 103)
        #expect(tokenizer.id(for: "##ing") == 2075)
        #expect(tokenizer.token(for: 7592) == "hello")
        #expect(tokenizer.prefixIDs == [101] && tokenizer.suffixIDs == [102])
        #expect(throws: TokenizerError.unknownTokenID(30522, vocabularySize: 30522)) { try tokenizer.decode([30522]) }
    }

    @Test func factoryPicksTheTokenizerByModelType() throws {
        #expect(try TokenizerJSON.load(Self.tokenizerFile) is WordPieceTokenizer)
        let gpt2 = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/gpt2-tokenizer-json/tokenizer.json")
        #expect(try TokenizerJSON.load(gpt2) is BytePairTokenizer)
    }

    /// The probe of every scalar through the reference normaliser and pre-tokenizer.
    struct Characters: Decodable {
        var removed: [[UInt32]]
        var whitespace: [[UInt32]]
        var punctuation: [[UInt32]]
        var chinese: [[UInt32]]
        var mapped: [String: String]
    }

    @Test func normalizerMatchesTheReferenceOnEveryScalar() throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("characters.json"))
        let table = try JSONDecoder().decode(Characters.self, from: data)
        func set(_ ranges: [[UInt32]]) -> Set<UInt32> { Set(ranges.flatMap { $0[0]...$0[1] }) }
        let removed = set(table.removed), whitespace = set(table.whitespace), punctuation = set(table.punctuation), chinese = set(table.chinese)
        var mapped: [UInt32: String] = [:]
        for (key, value) in table.mapped { mapped[UInt32(key, radix: 16)!] = value }
        let normalizer = WordPieceNormalizer()
        var mismatches: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value), !(0xAC00...0xD7A3).contains(value) else { continue }
            let text = String(scalar)
            let expected: String
            if removed.contains(value) {
                expected = ""
            } else if whitespace.contains(value) {
                expected = " "
            } else if chinese.contains(value) {
                expected = " " + text + " "
            } else {
                expected = mapped[value] ?? text
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: normalizer.normalize(Substring(text)))
            if !String(view).unicodeScalars.elementsEqual(expected.unicodeScalars) {
                mismatches.append(String(value, radix: 16))
            }
            let isolated = WordPieceNormalizer.splitWords(["a", scalar, "a"]).count == 3
            if isolated != punctuation.contains(value) && !whitespace.contains(value) && scalar != " " {
                mismatches.append("punctuation \(String(value, radix: 16))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) scalars differ, first: \(mismatches.prefix(10))")
    }
}
