import FMIndex
import Foundation
import NGramRetrieval
import Testing

@Suite struct IndexFolderTests {
    @Test func buildWritesAVersionedFolderThatLoadsBack() throws {
        try TinyCorpus.withTemporaryDirectory("index") { directory in
            let output = directory.appendingPathComponent("idx")
            var lines: [String] = []
            let summary = try IndexBuilder.build(passages: TinyCorpus.passages, tokenizer: TinyCorpus.tokenizer,
                                                 tokenizerSource: "trained:400", to: output) { lines.append($0) }
            #expect(summary.passages == 12 && summary.tokens > 100)
            #expect(lines.contains { $0.contains("tokens/s") })
            let index = try RetrievalIndex(directory: output)
            #expect(index.passages == TinyCorpus.passages)
            #expect(index.manifest.formatVersion == IndexManifest.currentFormatVersion)
            #expect(try index.fmIndex.document(2) == TinyCorpus.tokenizer.encode(TinyCorpus.passages[2]))
            // No staging folders are left beside the index.
            let siblings = try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)
            #expect(siblings == ["idx"])
            // Rebuilding replaces it in place.
            _ = try IndexBuilder.build(passages: Array(TinyCorpus.passages.prefix(3)), tokenizer: TinyCorpus.tokenizer,
                                       tokenizerSource: "trained:400", to: output)
            #expect(try RetrievalIndex(directory: output).passages.count == 3)
        }
    }

    @Test func foreignOrDamagedFoldersAreClearErrors() throws {
        try TinyCorpus.withTemporaryDirectory("damaged") { directory in
            let output = directory.appendingPathComponent("idx")
            _ = try IndexBuilder.build(passages: TinyCorpus.passages, tokenizer: TinyCorpus.tokenizer, tokenizerSource: "t", to: output)
            let manifest = output.appendingPathComponent("manifest.json")
            let text = try String(contentsOf: manifest, encoding: .utf8)
            try text.replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 9").write(to: manifest, atomically: true, encoding: .utf8)
            let error = #expect(throws: RetrievalError.self) { try RetrievalIndex(directory: output) }
            #expect("\(error!)".contains("format version 9"))
            try text.write(to: manifest, atomically: true, encoding: .utf8)
            let fmi = output.appendingPathComponent("corpus.fmi")
            var bytes = try Data(contentsOf: fmi)
            bytes[bytes.count - 3] ^= 0xFF
            try bytes.write(to: fmi)
            #expect(throws: FMIndexError.self) { try RetrievalIndex(directory: output) }
            #expect(throws: RetrievalError.self) { try RetrievalIndex(directory: output.appendingPathComponent("missing")) }
        }
    }
}
