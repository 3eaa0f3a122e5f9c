import Foundation
import Testing

/// Locates the reference fixtures (`Tests/Fixtures`) and scratch folders for the tests.
///
/// The package root is found from this file's own path, so the tests work from any
/// working directory.
enum Fixtures {
    /// The package root: this file is `<root>/Tests/TokenizersTests/Fixtures.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `<root>/Tests/Fixtures/gpt2-tokenizer`, which holds GPT-2's vocab.json, merges.txt
    /// and reference.jsonl (see `Tests/Fixtures/README.md`, section 1).
    static let gpt2Folder = packageRoot
        .appendingPathComponent("Tests/Fixtures/gpt2-tokenizer")
        .standardizedFileURL

    /// Returns a fixture file, recording a test failure that names the missing path.
    static func gpt2File(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let url = gpt2Folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record(
                "missing fixture \(url.path) (Tests/Fixtures/make_fixtures.py regenerates the fixtures)",
                sourceLocation: sourceLocation)
            throw FixtureMissing(path: url.path)
        }
        return url
    }

    struct FixtureMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "missing fixture \(path)" }
    }

    /// A fresh empty folder under the system temporary directory.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("TokenizersTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
