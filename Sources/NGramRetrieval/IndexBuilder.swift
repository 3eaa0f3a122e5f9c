import FMIndex
import Foundation

/// Builds an index folder from passages: tokenise, build the FM-index, store everything.
///
/// The folder is written under a temporary name next to `directory` and renamed into place
/// only when complete, so an interrupted build never leaves a half-written index.
///
/// ```swift
/// let passages = try CorpusReader.read(corpusURL)
/// let tokenizer = try PassageTokenizer.train(on: passages, vocabularySize: 4096)
/// let summary = try IndexBuilder.build(passages: passages, tokenizer: tokenizer,
///                                      tokenizerSource: "trained:4096", to: outputURL)
/// print(summary.tokensPerSecond)
/// ```
public enum IndexBuilder {
    /// What a build did.
    public struct Summary: Sendable, Codable {
        /// Passages indexed (one FM-index document each).
        public var passages: Int
        /// Tokens over all passages (title markers included, separators not).
        public var tokens: Int
        /// Wall-clock time spent tokenising.
        public var tokenizeSeconds: Double
        /// Wall-clock time spent building the FM-index.
        public var indexSeconds: Double
        /// Size of the FM-index file in bytes.
        public var indexBytes: Int
        /// Tokens per second of the FM-index construction alone.
        public var indexTokensPerSecond: Double { Double(tokens) / max(indexSeconds, 1e-9) }
        /// Tokens per second of the whole build (tokenising included).
        public var tokensPerSecond: Double { Double(tokens) / max(tokenizeSeconds + indexSeconds, 1e-9) }
    }

    /// Builds and writes the index folder.
    ///
    /// - Parameter progress: called with human-readable progress lines (stderr in the CLI).
    public static func build(
        passages: [Passage], tokenizer: PassageTokenizer, tokenizerSource: String, to directory: URL,
        sampleRate: Int = 32, progress: (String) -> Void = { _ in }
    ) throws -> Summary {
        guard !passages.isEmpty else { throw RetrievalError.emptyCorpus(path: directory.path) }
        let start = Date()
        var documents: [[Int]] = []
        documents.reserveCapacity(passages.count)
        var tokens = 0
        var lastReport = start
        for (index, passage) in passages.enumerated() {
            let ids = tokenizer.encode(passage)
            tokens += ids.count
            documents.append(ids)
            let now = Date()
            if now.timeIntervalSince(lastReport) >= 1 || index + 1 == passages.count {
                lastReport = now
                let rate = Double(tokens) / max(now.timeIntervalSince(start), 1e-9)
                progress("tokenised \(index + 1)/\(passages.count) passages, \(tokens) tokens, \(Int(rate)) tokens/s")
            }
        }
        let tokenizeSeconds = Date().timeIntervalSince(start)
        let indexStart = Date()
        let index = try FMIndex(documents: documents, sampleRate: sampleRate)
        let indexSeconds = Date().timeIntervalSince(indexStart)
        progress("FM-index over \(tokens) tokens built in \(String(format: "%.2f", indexSeconds)) s "
            + "(\(Int(Double(tokens) / max(indexSeconds, 1e-9))) tokens/s), \(index.sizeInBytes) bytes")

        let manifest = IndexManifest(passageCount: passages.count, tokenCount: tokens, tokenizerSource: tokenizerSource,
                                     buildSeconds: tokenizeSeconds + indexSeconds)
        try IndexFolder.replace(directory) { staging in
            try index.write(to: staging.appendingPathComponent(RetrievalIndex.fmIndexFileName))
            try tokenizer.save(to: staging.appendingPathComponent(RetrievalIndex.tokenizerFolderName))
            try PassageStore.write(passages, to: staging.appendingPathComponent(RetrievalIndex.passagesFileName))
            try manifest.encoded().write(to: staging.appendingPathComponent(IndexManifest.fileName))
        }
        return Summary(passages: passages.count, tokens: tokens, tokenizeSeconds: tokenizeSeconds,
                       indexSeconds: indexSeconds, indexBytes: index.sizeInBytes)
    }
}
