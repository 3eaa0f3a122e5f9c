import Foundation
import Testing

/// Locates the shared reference fixtures and scratch folders for the tests.
///
/// The fixtures live outside the package, in `../shared/fixtures` next to the package
/// root; the root is found from this file's own path so the tests work from any
/// working directory and in any checkout placed beside `shared/`.
enum Fixtures {
    /// The package root: this file is `<root>/Tests/TokenizersTests/Fixtures.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `<root>/../shared/fixtures/gpt2-tokenizer`, which holds GPT-2's vocab.json, merges.txt
    /// and reference.jsonl (see that folder's README, section 1).
    static let gpt2Folder = packageRoot
        .deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/gpt2-tokenizer")
        .standardizedFileURL

    /// Returns a fixture file, recording a test failure that names the missing path.
    static func gpt2File(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let url = gpt2Folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record(
                "missing fixture \(url.path): expected the shared fixtures at ../shared/fixtures/gpt2-tokenizer relative to the package root \(packageRoot.path)",
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
