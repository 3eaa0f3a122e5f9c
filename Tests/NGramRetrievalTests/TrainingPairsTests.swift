import Foundation
import NGramRetrieval
import Tensors
import Testing

@Suite struct TrainingPairsTests {
    /// Every body target starts at a word (a token with a leading space), as SEAL's
    /// whitespace-word spans do, and titles end with the title-end marker.
    @Test func targetsStartAtWordsAndTitlesEndWithTheMarker() throws {
        let tokenizer = TinyCorpus.tokenizer
        let documents = try (0..<TinyCorpus.index.fmIndex.documentCount).map { try TinyCorpus.index.fmIndex.document($0) }
        let question = TrainingPairs.Question(tokens: tokenizer.encode(query: "Who improved the steam engine?"), document: 11)
        let pairs = TrainingPairs(tokenizer: tokenizer, documents: documents, questions: [question])
        var generator = SeededGenerator(seed: 5)
        var bodies = 0
        for _ in 0..<300 {
            let example = pairs.sample(using: &generator)
            #expect(!example.target.isEmpty && !example.prompt.isEmpty)
            if example.prompt.last == tokenizer.bodyMarker {
                bodies += 1
                #expect(tokenizer.decode(example.target).hasPrefix(" "), "\(tokenizer.decode(example.target))")
            } else {
                #expect(example.prompt.last == tokenizer.titleStart && example.target.last == tokenizer.titleEnd)
            }
        }
        #expect(bodies > 100)
    }

    /// Supervised spans start where the passage shares words with the question far more
    /// often than elsewhere (SEAL's exp-of-fuzzy-ratio weights).
    @Test func supervisedSpansFavourTheQuestionsWords() throws {
        let tokenizer = TinyCorpus.tokenizer
        let documents = try (0..<TinyCorpus.index.fmIndex.documentCount).map { try TinyCorpus.index.fmIndex.document($0) }
        let question = TrainingPairs.Question(tokens: tokenizer.encode(query: "separate condenser"), document: 11)
        var pairs = TrainingPairs(tokenizer: tokenizer, documents: documents, questions: [question])
        pairs.supervisedFraction = 1
        pairs.titleFraction = 0
        var generator = SeededGenerator(seed: 9)
        var counts: [String: Int] = [:]
        for _ in 0..<400 {
            let first = pairs.sample(using: &generator).target
            let word = tokenizer.decode(first).split(separator: " ").first.map(String.init) ?? ""
            counts[word, default: 0] += 1
        }
        // "James Watt improved the steam engine with a separate condenser.": 7 candidate
        // starts (stopwords excluded); "separate" matches the question's first trigram.
        let separate = counts["separate", default: 0]
        #expect(separate > 80, "\(counts)")   // uniform would give 400 / 7 = 57
        #expect(counts["the", default: 0] == 0 && counts["a", default: 0] == 0, "stopwords never start a supervised span")
    }
}
