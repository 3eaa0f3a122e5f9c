import FMIndex
import Foundation
import Generation
import NGramRetrieval
import Tensors
import Testing

@Suite struct ConstraintProcessorTests {
    /// Walks random paths through the processor: at every step the allowed tokens are exactly
    /// those t with count(ngram + [t]) > 0, checked by brute force against FMIndex.count.
    @Test(arguments: [1, 2, 3])
    func allowsExactlyTheTokensThatKeepTheNGramInTheIndex(seed: UInt64) throws {
        let index = TinyCorpus.index.fmIndex
        let vocabulary = TinyCorpus.tokenizer.vocabularySize
        var generator = SeededGenerator(seed: seed)
        let prompt = [5, 6, 7]
        let processor = FMIndexConstraintProcessor(index: index, promptLength: prompt.count)
        var context = prompt
        for _ in 0..<8 {
            var logits = [Float](repeating: 0.5, count: vocabulary)
            try processor.process(&logits, context: context)
            let ngram = Array(context[prompt.count...])
            let allowed = logits.indices.filter { logits[$0] > -.infinity }
            let expected = (0..<vocabulary).filter { index.count(ngram + [$0]) > 0 }
            #expect(allowed == expected, "after \(ngram)")
            #expect(processor.range == index.range(of: ngram))
            guard !allowed.isEmpty else { break }
            context.append(allowed[Int(generator.next() % UInt64(allowed.count))])
        }
    }

    @Test func forkedProcessorsKeepTheirOwnRange() throws {
        let index = TinyCorpus.index.fmIndex
        let tokens = TinyCorpus.tokenizer.encode(text: " steam engine")
        let processor = FMIndexConstraintProcessor(index: index, promptLength: 0)
        var logits = [Float](repeating: 0, count: TinyCorpus.tokenizer.vocabularySize)
        try processor.process(&logits, context: [tokens[0]])
        let fork = processor.forked() as! FMIndexConstraintProcessor
        try fork.process(&logits, context: Array(tokens.prefix(2)))
        #expect(fork.range == index.range(of: Array(tokens.prefix(2))))
        #expect(processor.range == index.range(of: [tokens[0]]))
    }

    @Test func beamSearchOnlyGeneratesNGramsOfTheCorpus() throws {
        let retriever = try Retriever(index: TinyCorpus.index, generator: TinyCorpus.generator())
        var settings = SearchSettings()
        settings.beamCount = 8
        settings.bodyLength = 3
        settings.scoring.smoothing = 0
        let keys = try retriever.keys(for: "Who improved the steam engine?", settings: settings)
        #expect(keys.contains { $0.source == .body })
        #expect(keys.contains { $0.source == .query })
        for key in keys {
            #expect(TinyCorpus.index.fmIndex.count(key.tokens) > 0, "\(key)")
            #expect(key.logProbability <= 0 && key.logProbability.isFinite)
            if key.source == .body { #expect(key.tokens.count == 3) }
            if key.source == .title {
                #expect(key.tokens.first == TinyCorpus.tokenizer.titleStart && key.tokens.last == TinyCorpus.tokenizer.titleEnd)
            }
        }
        let hits = try retriever.search("Who improved the steam engine?", limit: 3, settings: settings)
        // An untrained generator may weigh every key 0 (P(n|q) below P(n)); what holds always:
        #expect(hits.count <= 3)
        #expect(hits.map(\.rank) == Array(0..<hits.count).map { $0 + 1 })
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
        for hit in hits { #expect(hit.segments.contains { $0.matched }) }
    }

    @Test func logProbabilitiesMatchAStepByStepSoftmax() throws {
        let generator = try TinyCorpus.generator()
        let prompt = [3, 9, 11]
        let continuations = [[4, 8, 15], [16], [23, 42]]
        let batched = try generator.logProbabilities(prompt: prompt, continuations: continuations)
        for (continuation, values) in zip(continuations, batched) {
            for position in continuation.indices {
                let logits = try generator.model.logits(tokens: [prompt + continuation.prefix(position)]).value.scalars
                let vocabulary = generator.vocabularySize
                let last = Array(logits[(logits.count - vocabulary)...])
                let maximum = Double(last.max()!)
                let expected = Double(last[continuation[position]]) - maximum - log(last.reduce(0) { $0 + exp(Double($1) - maximum) })
                #expect(abs(values[position] - expected) < 1e-4)
            }
        }
    }

    /// A hit cuts its title and its body into segments flagged where a matched n-gram lies:
    /// the segments spell the title and the text, and a key found in the title is flagged there.
    @Test func hitsHighlightTheTitleAndTheBody() throws {
        let retriever = try Retriever(index: TinyCorpus.index, generator: TinyCorpus.generator(seed: 5))
        var settings = SearchSettings()
        settings.decodeBody = false
        settings.decodeTitles = false
        settings.queryKeyLogProbability = -1  // every query key gets a positive weight
        let hits = try retriever.search("Warsaw river", limit: 2, settings: settings)
        let hit = try #require(hits.first { $0.passage.id == "p3" })
        #expect(hit.titleSegments.map(\.text).joined().trimmingCharacters(in: .whitespaces) == "Warsaw")
        #expect(hit.titleSegments.contains { $0.matched && $0.text.contains("Warsaw") })
        #expect(hit.segments.map(\.text).joined().trimmingCharacters(in: .whitespaces) == hit.passage.text)
        #expect(hit.segments.contains { $0.matched && $0.text.contains("river") })
    }
}
