import Foundation
import NGramRetrieval
import Testing

@Suite struct PrepackedEvidenceTests {
    /// Prefilling many queries' prompts as one packed batch gives the same keys, the same
    /// log-probabilities (to float rounding) and the same rankings as one query at a time.
    @Test func packedEvidenceEqualsOneAtATime() throws {
        let retriever = try Retriever(index: TinyCorpus.index, generator: TinyCorpus.generator(seed: 11))
        var settings = SearchSettings()
        settings.beamCount = 4
        settings.bodyLength = 3
        settings.titleLength = 6
        settings.scoring.smoothing = 0
        let queries = ["Who improved the steam engine?", "Where is Warsaw?", "oxygen",
                       "Which river flows through Warsaw from south to north?", "Normans"]
        let packed = try retriever.evidence(for: queries, settings: settings, prepack: true)
        let single = try queries.map { try retriever.evidence(for: $0, settings: settings) }
        for (a, b) in zip(packed, single) {
            #expect(a.keys.map(\.tokens) == b.keys.map(\.tokens))
            for (x, y) in zip(a.keys, b.keys) { #expect(abs(x.logProbability - y.logProbability) < 1e-4) }
            for (x, y) in zip(a.unigramLogProbabilities, b.unigramLogProbabilities) { #expect(abs(x - y) < 1e-4) }
            let rankedA = retriever.rank(evidence: a, settings: settings.scoring, limit: 5).map(\.document)
            let rankedB = retriever.rank(evidence: b, settings: settings.scoring, limit: 5).map(\.document)
            #expect(rankedA == rankedB)
        }
    }
}
