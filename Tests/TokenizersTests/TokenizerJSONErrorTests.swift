import Foundation
import Testing
import Tokenizers

/// A `tokenizer.json` this module cannot reproduce, or a broken one, gives a one-line error
/// naming the file and the JSON field.
@Suite struct TokenizerJSONErrorTests {
    /// The tiny fixture with one value replaced; `path` is dot-separated keys and list indices.
    static func loadError(
        base: String = TokenizerJSONTests.layouts[0], setting path: String, to json: String
    ) throws -> TokenizerError? {
        var document = try JSONSerialization.jsonObject(with: Data(contentsOf: TokenizerJSONTests.fixture(base)))
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        document = replacing(in: document, at: path.split(separator: ".").map(String.init), with: value)
        return try loadError(Data(try JSONSerialization.data(withJSONObject: document)))
    }

    static func loadError(_ data: Data) throws -> TokenizerError? {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("tokenizer.json")
        try data.write(to: file)
        do {
            _ = try BytePairTokenizer(tokenizerJSONFile: file)
            return nil
        } catch let error as TokenizerError {
            return error
        }
    }

    static func replacing(in container: Any, at path: [String], with value: Any) -> Any {
        guard let key = path.first else { return value }
        if var list = container as? [Any], let index = Int(key) {
            list[index] = replacing(in: list[index], at: Array(path.dropFirst()), with: value)
            return list
        }
        var object = container as! [String: Any]
        object[key] = replacing(in: object[key] ?? [String: Any](), at: Array(path.dropFirst()), with: value)
        return object
    }

    static func expectFieldError(_ error: TokenizerError?, field: String, message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case let .malformedField(path, errorField, reason)? = error else {
            Issue.record("expected an error naming \(field), got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(path.hasSuffix("/tokenizer.json"), sourceLocation: sourceLocation)
        #expect(errorField == field, sourceLocation: sourceLocation)
        #expect(reason.contains(message), "\(reason)", sourceLocation: sourceLocation)
        let description = error!.description
        #expect(description.contains("tokenizer.json, field \(field): "), sourceLocation: sourceLocation)
        #expect(!description.contains("\n"), sourceLocation: sourceLocation)
    }

    @Test func validFixtureLoads() throws {
        #expect(try Self.loadError(setting: "version", to: #""1.0""#) == nil)
    }

    @Test(arguments: [
        // (path set, JSON value, field named, message)
        ("pre_tokenizer", #"{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": false}"#,
         "pre_tokenizer.type", #""Metaspace" is not supported (byte-level BPE only"#),
        ("pre_tokenizer", "null", "pre_tokenizer", "null is not supported"),
        ("pre_tokenizer.add_prefix_space", "true", "pre_tokenizer.add_prefix_space", "true is not supported"),
        ("pre_tokenizer.use_regex", "false", "pre_tokenizer.use_regex", "false is not supported"),
        ("pre_tokenizer", #"{"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "\\s+"}, "behavior": "Isolated", "invert": false}, {"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}]}"#,
         "pre_tokenizer.pretokenizers[0].pattern.Regex", "is not supported (only GPT-2's pattern"),
        ("pre_tokenizer", #"{"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true}, {"type": "ByteLevel", "add_prefix_space": false}]}"#,
         "pre_tokenizer.pretokenizers", #"["Digits", "ByteLevel"] is not supported"#),
        ("model.type", #""WordPiece""#, "model.type", #""WordPiece" is not supported (byte-level BPE only)"#),
        ("model.type", #""Unigram""#, "model.type", #""Unigram" is not supported"#),
        ("model.byte_fallback", "true", "model.byte_fallback", "true is not supported"),
        ("model.dropout", "0.1", "model.dropout", "0.1 is not supported"),
        ("model.ignore_merges", "true", "model.ignore_merges", "true is not supported"),
        ("model.continuing_subword_prefix", ###""##""###, "model.continuing_subword_prefix", ###""##" is not supported"###),
        ("model.end_of_word_suffix", #""</w>""#, "model.end_of_word_suffix", #""</w>" is not supported"#),
        ("normalizer", #"{"type": "NFC"}"#, "normalizer.type", #""NFC" is not supported"#),
        ("post_processor", #"{"type": "TemplateProcessing", "single": [], "pair": [], "special_tokens": {}}"#,
         "post_processor.type", #""TemplateProcessing" is not supported"#),
        ("truncation", #"{"max_length": 8}"#, "truncation", "an object is not supported"),
        ("added_tokens.0.lstrip", "true", "added_tokens[0].lstrip", "true is not supported"),
        ("added_tokens.0.id", "5", "added_tokens[0].id", "5 differs from the id 0"),
        ("added_tokens.0.content", "3", "added_tokens[0].content", "expected a string, found 3"),
        ("model.merges.5", #"["Ġ", "€"]"#, "model.merges[5]", #"token "€" is not in model.vocab"#),
        ("model.merges.5", #"["Ġ", "t", "h"]"#, "model.merges[5]", #"expected "left right" or ["left", "right"]"#),
        ("model.vocab.Ġt", #""x""#, #"model.vocab["Ġt"]"#, #"expected an integer, found "x""#),
        ("model.vocab.Ġt", "7", #"model.vocab["Ġt"]"#, "id 7 is used by another token"),
        ("model.vocab", "[]", "model.vocab", "expected an object, found a list"),
    ])
    func unsupportedOrBrokenFieldIsNamed(path: String, json: String, field: String, message: String) throws {
        Self.expectFieldError(try Self.loadError(setting: path, to: json), field: field, message: message)
    }

    @Test func mergeWithUnknownTokenInStringLayoutIsNamed() throws {
        let error = try Self.loadError(base: TokenizerJSONTests.layouts[1], setting: "model.merges.2", to: #""Ġ zz""#)
        Self.expectFieldError(error, field: "model.merges[2]", message: #"token "zz" is not in model.vocab"#)
        let spaced = try Self.loadError(base: TokenizerJSONTests.layouts[1], setting: "model.merges.2", to: #""Ġ  t""#)
        Self.expectFieldError(spaced, field: "model.merges[2]", message: "expected two tokens separated by one space")
    }

    @Test func missingFieldsAreNamed() throws {
        var document = try JSONSerialization.jsonObject(with: Data(contentsOf: TokenizerJSONTests.fixture(TokenizerJSONTests.layouts[0]))) as! [String: Any]
        var model = document["model"] as! [String: Any]
        model["merges"] = nil
        document["model"] = model
        Self.expectFieldError(try Self.loadError(try JSONSerialization.data(withJSONObject: document)),
                              field: "model.merges", message: "missing (expected a list)")
        document["model"] = nil
        Self.expectFieldError(try Self.loadError(try JSONSerialization.data(withJSONObject: document)),
                              field: "model", message: "missing (expected an object)")
    }

    @Test func truncatedJSONNamesFileAndLine() throws {
        let data = try Data(contentsOf: TokenizerJSONTests.fixture(TokenizerJSONTests.layouts[0]))
        let error = try #require(try Self.loadError(data.prefix(data.count / 2)))
        guard case let .malformedFile(path, line, _, reason) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(path.hasSuffix("/tokenizer.json"))
        #expect(line > 1)
        #expect(reason.hasPrefix("not valid JSON"), "\(reason)")
        #expect(!error.description.contains("\n"))
        #expect(try Self.loadError(Data("[1, 2]".utf8))?.description.contains("expected a JSON object") == true)
    }

    @Test func missingFileIsAFileAccessError() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/tokenizer.json")
        #expect {
            _ = try BytePairTokenizer(tokenizerJSONFile: missing)
        } throws: { error in
            guard case let .fileAccess(path, _) = error as? TokenizerError else { return false }
            return path == missing.path
        }
    }
}
