import Foundation
import Testing
import Tokenizers

/// A BERT `tokenizer.json` with a part the WordPiece reader does not reproduce is refused with
/// a one-line error naming the field, never approximated.
@Suite struct WordPieceErrorTests {
    static func loadError(setting path: String, to json: String) throws -> TokenizerError? {
        var document = try JSONSerialization.jsonObject(with: Data(contentsOf: WordPieceReferenceTests.tokenizerFile))
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        document = TokenizerJSONErrorTests.replacing(in: document, at: path.split(separator: ".").map(String.init), with: value)
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("tokenizer.json")
        try JSONSerialization.data(withJSONObject: document).write(to: file)
        do {
            _ = try TokenizerJSON.load(file)
            return nil
        } catch let error as TokenizerError {
            return error
        }
    }

    @Test(arguments: [
        ("normalizer", #"{"type": "Lowercase"}"#, "normalizer.type", #""Lowercase" is not supported"#),
        ("normalizer", #"{"type": "Sequence", "normalizers": []}"#, "normalizer.type", #""Sequence" is not supported"#),
        ("pre_tokenizer", #"{"type": "Whitespace"}"#, "pre_tokenizer.type", #""Whitespace" is not supported"#),
        ("pre_tokenizer", "null", "pre_tokenizer", "null is not supported"),
        ("post_processor", #"{"type": "RobertaProcessing"}"#, "post_processor.type", #""RobertaProcessing" is not supported"#),
        ("decoder", #"{"type": "ByteLevel"}"#, "decoder.type", #""ByteLevel" is not supported"#),
        ("model.type", #""Unigram""#, "model.type", #""Unigram" is not supported"#),
        ("model.unk_token", #""<unk>""#, "model.unk_token", #""<unk>" is not in model.vocab"#),
        ("added_tokens.4.lstrip", "true", "added_tokens[4].lstrip", "true is not supported"),
        ("added_tokens.4.normalized", "true", "added_tokens[4].normalized", "true is not supported"),
        ("added_tokens.0.special", "false", "added_tokens[0].special", "false is not supported"),
        ("post_processor.single.1.Sequence.id", #""B""#, "post_processor.single[1].Sequence.id", #""B" is not supported"#),
    ])
    func refusedPartIsNamed(path: String, value: String, field: String, message: String) throws {
        let error = try Self.loadError(setting: path, to: value)
        TokenizerJSONErrorTests.expectFieldError(error, field: field, message: message)
    }

    @Test func acceptsTheMiniLMFileAsItIs() throws {
        #expect(try Self.loadError(setting: "version", to: #""1.0""#) == nil)
    }

    @Test func bertProcessingAndNoDecoderAreRead() throws {
        var document = try JSONSerialization.jsonObject(with: Data(contentsOf: WordPieceReferenceTests.tokenizerFile)) as! [String: Any]
        document["post_processor"] = ["type": "BertProcessing", "sep": ["[SEP]", 102], "cls": ["[CLS]", 101]] as [String: Any]
        document["decoder"] = NSNull()
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("tokenizer.json")
        try JSONSerialization.data(withJSONObject: document).write(to: file)
        let tokenizer = try WordPieceTokenizer(tokenizerJSONFile: file)
        let ids = tokenizer.encode("Hello, xylophonezz!")
        #expect(ids.first == 101 && ids.last == 102)
        // Without a decoder `tokenizers` joins the tokens with spaces, prefixes and all.
        #expect(try tokenizer.decode(Array(ids.dropFirst().dropLast())) == "hello , x ##yl ##ophone ##zz !")
    }
}
