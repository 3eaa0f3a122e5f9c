import Foundation
import Testing
import TestSupport

/// Free-text prompts of `icons`: what a prompt becomes is said, never silently dropped, and the
/// keyword embeddings are saved once per model. (`icons match` shows the matching without
/// drawing: a debug build draws too slowly for this suite.)
@Suite(.serialized) struct IconPromptCommandTests {
    /// The shipped icon model, copied so `embed-keywords` can write into it.
    func modelCopy() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("icon-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let shipped = TestFixtures.repositoryRoot.appendingPathComponent("assets/icons")
        for name in ["config.json", "model.safetensors", "tokenizer.json"] {
            try FileManager.default.copyItem(at: shipped.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    @Test func aPromptWithNoKeywordIsAOneLineError() throws {
        let result = try ToolRunner.run(["icons", "generate", "xylophonezz qqqq", "--exact-keywords", "--threads", "1"])
        #expect(result.status != 0)
        #expect(result.errorLines.count == 1)
        #expect(result.errorLines.first?.hasPrefix("error: prompt \"xylophonezz qqqq\": no word of it is or resembles a keyword") == true)
        #expect(result.errorLines.first?.contains("\"xylophonezz\": not a keyword, left out") == true)
        #expect(result.standardOutput.isEmpty)
    }

    @Test func embedKeywordsWritesAFileTheMatcherReuses() throws {
        let model = try modelCopy()
        defer { try? FileManager.default.removeItem(at: model) }
        let encoder = try TestFixtures.url("bert-tiny").path
        let embedded = try ToolRunner.run(["icons", "embed-keywords", "--model", model.path, "--encoder", encoder, "--threads", "1"])
        #expect(embedded.status == 0, "\(embedded.standardError)")
        let file = model.appendingPathComponent("keyword-embeddings.safetensors")
        #expect(FileManager.default.fileExists(atPath: file.path))
        #expect(embedded.standardOutput.contains("wrote \(file.path)"))

        // The saved embeddings are used: no "embedding the model's ... keywords" note.
        let reused = try ToolRunner.run(["icons", "match", "camera zq", "--model", model.path, "--encoder", encoder, "--json", "--threads", "1"])
        #expect(reused.status == 0, "\(reused.standardError)")
        #expect(!reused.standardError.contains("embedding the model's"))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(reused.standardOutput.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect((rows.first?["keywords"] as? [String])?.first == "camera")
        #expect(rows.first?["exact"] as? Bool == false)
        #expect((rows.first?["explanation"] as? String)?.contains("\"zq\"") == true)

        // Another encoder (its config differs) does not reuse them.
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("bert-other-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: encoder), to: other)
        defer { try? FileManager.default.removeItem(at: other) }
        var config = try String(contentsOf: other.appendingPathComponent("config.json"), encoding: .utf8)
        config = config.replacingOccurrences(of: "{", with: "{\n  \"note\": \"a copy\",", options: [], range: config.range(of: "{"))
        try config.write(to: other.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        let recomputed = try ToolRunner.run(["icons", "match", "zq", "--model", model.path, "--encoder", other.path, "--threads", "1"])
        #expect(recomputed.status == 0, "\(recomputed.standardError)")
        #expect(recomputed.standardError.contains("embedding the model's"))
    }
}
