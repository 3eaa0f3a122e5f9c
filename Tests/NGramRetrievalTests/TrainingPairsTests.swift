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

@Suite struct PseudoQuestionTests {
    /// Pseudo-questions start with a question word and end with "?"; their other words are
    /// words of one passage in passage order; their targets are spans or the title of that passage.
    @Test func pseudoQuestionsRestateOnePassage() throws {
        let tokenizer = TinyCorpus.tokenizer
        let documents = try (0..<TinyCorpus.index.fmIndex.documentCount).map { try TinyCorpus.index.fmIndex.document($0) }
        var pairs = TrainingPairs(tokenizer: tokenizer, documents: documents, questions: [])
        pairs.pseudoQuestionFraction = 1
        let texts = TinyCorpus.passages.map(\.text)
        var generator = SeededGenerator(seed: 4)
        var questionWords: [String: Int] = [:]
        var titles = 0
        for _ in 0..<300 {
            let example = pairs.sample(using: &generator)
            let question = tokenizer.decode(Array(example.prompt.dropLast())).trimmingCharacters(in: .whitespaces)
            #expect(question.hasSuffix("?"), "\(question)")
            let words = question.dropLast().split(separator: " ").map(String.init)
            let lead = words.starts(with: ["How", "many"]) ? 2 : 1
            questionWords[words.prefix(lead).joined(separator: " "), default: 0] += 1
            let rest = words.dropFirst(lead)
            #expect(rest.count >= 1)
            // The words come from one passage, in order (the first may be lowercased).
            let source = texts.indices.filter { index in
                var remaining = Substring(texts[index])
                return rest.enumerated().allSatisfy { position, word in
                    guard let range = remaining.range(of: word, options: position == 0 ? .caseInsensitive : []) else { return false }
                    remaining = remaining[range.upperBound...]
                    return true
                }
            }
            #expect(!source.isEmpty, "\(question) is not an in-order subsequence of a passage")
            if example.prompt.last == tokenizer.titleStart {
                titles += 1
                #expect(example.target.last == tokenizer.titleEnd)
            } else {
                let target = tokenizer.decode(example.target)
                #expect(source.contains { texts[$0].contains(target.trimmingCharacters(in: .whitespaces)) }, "\(target) not in its passage")
            }
        }
        #expect(Set(questionWords.keys).isSubset(of: ["When", "How many", "Who", "What", "Which"]), "\(questionWords)")
        #expect(questionWords.count >= 4, "\(questionWords)")
        #expect(titles > 30 && titles < 120)   // titleFraction 0.25 of 300
    }
}
