import FMIndex
import Foundation

/// A loaded index folder: FM-index, tokenizer, passages and manifest (see ``IndexManifest``).
///
/// ```swift
/// let index = try RetrievalIndex(directory: URL(fileURLWithPath: "squad-index"))
/// index.fmIndex.count(index.tokenizer.encode(text: " Denver Broncos"))
/// ```
public final class RetrievalIndex: Sendable {
    static let fmIndexFileName = "corpus.fmi"
    static let tokenizerFolderName = "tokenizer"
    static let passagesFileName = "passages.jsonl"
    static let generatorFolderName = "generator"

    /// The folder it was loaded from.
    public let directory: URL
    /// Format version and provenance.
    public let manifest: IndexManifest
    /// The FM-index over tokenised passages (memory-mapped).
    public let fmIndex: FMIndex
    /// The tokenizer the passages were indexed with.
    public let tokenizer: PassageTokenizer
    /// Passages in document order: document `d` of ``fmIndex`` is `passages[d]`.
    public let passages: [Passage]

    /// Loads and cross-checks an index folder.
    /// - Throws: ``RetrievalError/invalidIndex(path:reason:)`` or the FM-index's own error.
    public init(directory: URL) throws {
        let directory = IndexFolder.resolve(directory)
        self.directory = directory
        manifest = try IndexManifest.read(from: directory)
        fmIndex = try FMIndex(contentsOf: directory.appendingPathComponent(Self.fmIndexFileName))
        tokenizer = try PassageTokenizer(directory: directory.appendingPathComponent(Self.tokenizerFolderName))
        passages = try PassageStore.read(directory.appendingPathComponent(Self.passagesFileName))
        guard passages.count == fmIndex.documentCount, passages.count == manifest.passageCount else {
            throw RetrievalError.invalidIndex(
                path: directory.path,
                reason: "\(passages.count) passages, \(fmIndex.documentCount) indexed documents, manifest says \(manifest.passageCount)")
        }
    }

    /// Builds an in-memory index (tests and tools): nothing is written.
    public init(passages: [Passage], tokenizer: PassageTokenizer, directory: URL = URL(fileURLWithPath: "/dev/null")) throws {
        guard !passages.isEmpty else { throw RetrievalError.emptyCorpus(path: "<memory>") }
        self.directory = directory
        self.passages = passages
        self.tokenizer = tokenizer
        let documents = passages.map(tokenizer.encode)
        fmIndex = try FMIndex(documents: documents)
        manifest = IndexManifest(passageCount: passages.count, tokenCount: fmIndex.tokenCount,
                                 tokenizerSource: "memory", buildSeconds: 0)
    }

    /// The generator folder inside the index.
    public var generatorDirectory: URL { directory.appendingPathComponent(Self.generatorFolderName) }
}
