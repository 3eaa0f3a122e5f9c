import Foundation

/// `manifest.json` of an index folder: format version and what the folder holds.
///
/// Folder layout (format 1):
/// ```
/// DIR/manifest.json         this file
/// DIR/corpus.fmi            FM-index over the tokenised passages (FMIndex format)
/// DIR/tokenizer/            vocab.json + merges.txt (byte-level BPE with the markers)
/// DIR/passages.jsonl        passages in document order ({"_id","title","text"})
/// DIR/generator/            config.json + model.safetensors, once `retrieve train` ran
/// ```
public struct IndexManifest: Codable, Sendable, Equatable {
    /// The folder layout version this build writes and reads.
    public static let currentFormatVersion = 1
    /// Name of the manifest file.
    public static let fileName = "manifest.json"

    /// Layout version.
    public var formatVersion: Int = IndexManifest.currentFormatVersion
    /// Always "nexttoken-retrieval-index", to recognise foreign folders.
    public var kind: String = "nexttoken-retrieval-index"
    /// Number of passages.
    public var passageCount: Int
    /// Number of indexed tokens (markers included).
    public var tokenCount: Int
    /// Where the tokenizer came from: "trained:<vocabulary size>" or the GPT-2 folder path.
    public var tokenizerSource: String
    /// Seconds spent tokenising and building the FM-index.
    public var buildSeconds: Double

    /// Describes a freshly built index.
    public init(passageCount: Int, tokenCount: Int, tokenizerSource: String, buildSeconds: Double) {
        self.passageCount = passageCount
        self.tokenCount = tokenCount
        self.tokenizerSource = tokenizerSource
        self.buildSeconds = buildSeconds
    }

    /// Reads and checks the manifest of `directory`.
    public static func read(from directory: URL) throws -> IndexManifest {
        let url = directory.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw RetrievalError.invalidIndex(path: directory.path, reason: "no \(fileName) (build one with `retrieve index build`)")
        }
        let manifest: IndexManifest
        do { manifest = try JSONDecoder().decode(IndexManifest.self, from: data) } catch {
            throw RetrievalError.invalidIndex(path: url.path, reason: "unreadable manifest (\(error))")
        }
        guard manifest.kind == "nexttoken-retrieval-index" else {
            throw RetrievalError.invalidIndex(path: url.path, reason: "field 'kind' is '\(manifest.kind)'")
        }
        guard manifest.formatVersion == currentFormatVersion else {
            throw RetrievalError.invalidIndex(
                path: url.path, reason: "format version \(manifest.formatVersion); this build reads \(currentFormatVersion)")
        }
        return manifest
    }

    /// Pretty JSON bytes.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
