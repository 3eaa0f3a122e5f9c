import Foundation
import NGramRetrieval
import Testing

/// A `retrieve index build` or `retrieve train` killed between the two renames that swap the
/// new folder in (old moved aside to `.<name>.old-*`, new not yet in place) must leave an
/// index that still loads, and the next build must clean the leftover up (issue 10).
@Suite struct InterruptedReplaceTests {
    @Test func anIndexMovedAsideByAKilledBuildStillLoads() throws {
        try TinyCorpus.withTemporaryDirectory("interrupted") { parent in
            let output = parent.appendingPathComponent("idx")
            _ = try IndexBuilder.build(passages: TinyCorpus.passages, tokenizer: TinyCorpus.tokenizer, tokenizerSource: "t", to: output)
            // The state a SIGKILL between the renames leaves behind.
            let aside = parent.appendingPathComponent(".idx.old-4242-17")
            try FileManager.default.moveItem(at: output, to: aside)

            let index = try RetrievalIndex(directory: output)
            #expect(index.passages == TinyCorpus.passages)

            _ = try IndexBuilder.build(passages: Array(TinyCorpus.passages.prefix(2)), tokenizer: TinyCorpus.tokenizer,
                                       tokenizerSource: "t", to: output)
            #expect(try RetrievalIndex(directory: output).passages.count == 2)
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["idx"])
        }
    }
}
