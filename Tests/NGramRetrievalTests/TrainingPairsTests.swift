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

    /// Noisy-copy pairs: the source is passage words in order with some dropped, and the target
    /// starts at one of the kept words and continues the passage.
    @Test func copyPairsStartAtAWordOfTheirSource() throws {
        let tokenizer = TinyCorpus.tokenizer
        let documents = try (0..<TinyCorpus.index.fmIndex.documentCount).map { try TinyCorpus.index.fmIndex.document($0) }
        var pairs = TrainingPairs(tokenizer: tokenizer, documents: documents, questions: [])
        pairs.copyFraction = 1
        pairs.lowercaseFraction = 0
        var generator = SeededGenerator(seed: 3)
        var dropped = 0
        for _ in 0..<300 {
            let example = pairs.sample(using: &generator)
            #expect(example.prompt.last == tokenizer.bodyMarker)
            let source = tokenizer.decode(Array(example.prompt.dropLast())).split(separator: " ").map(String.init)
            let target = tokenizer.decode(example.target)
            #expect(target.hasPrefix(" "))
            let first = String(target.dropFirst().split(separator: " ").first ?? "")
            #expect(source.contains(first), "target \(target) does not start at a word of \(source)")
            // The target occurs in the corpus and the source's words appear in passage order.
            #expect(TinyCorpus.index.fmIndex.count(example.target) > 0)
            let texts = documents.map { tokenizer.decode($0) }
            #expect(texts.contains { text in
                var rest = Substring(text)
                return source.allSatisfy { word in
                    guard let range = rest.range(of: word) else { return false }
                    rest = rest[range.upperBound...]
                    return true
                }
            }, "\(source) is not an in-order subsequence of a passage")
            if !texts.contains(where: { $0.contains(source.joined(separator: " ")) }) { dropped += 1 }
        }
        #expect(dropped > 50, "some sources should have dropped words")
    }
}
