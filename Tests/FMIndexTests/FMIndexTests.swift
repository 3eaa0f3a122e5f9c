import FMIndex
import Testing

/// Every query cross-checked against a brute-force scan of the documents.
struct FMIndexTests {
    static let recipes: [CorpusRecipe] = [
        CorpusRecipe(seed: 11, alphabet: 2, documentCount: 5, maximumLength: 40, sampleRate: 1, skewed: false),
        CorpusRecipe(seed: 12, alphabet: 3, documentCount: 40, maximumLength: 30, sampleRate: 4, skewed: false),
        CorpusRecipe(seed: 13, alphabet: 4, documentCount: 200, maximumLength: 25, sampleRate: 32, skewed: false),
        CorpusRecipe(seed: 14, alphabet: 30, documentCount: 100, maximumLength: 80, sampleRate: 7, skewed: true),
        CorpusRecipe(seed: 15, alphabet: 300, documentCount: 300, maximumLength: 120, sampleRate: 32, skewed: true),
        CorpusRecipe(seed: 16, alphabet: 5000, documentCount: 150, maximumLength: 200, sampleRate: 16, skewed: true),
        CorpusRecipe(seed: 17, alphabet: 1, documentCount: 20, maximumLength: 50, sampleRate: 3, skewed: false),
    ]

    /// N-grams drawn from the documents (present) and uniformly at random (mostly absent,
    /// including ids outside the alphabet).
    static func queries(for recipe: CorpusRecipe, documents: [[Int]]) -> [[Int]] {
        var rng = SplitMix64(seed: recipe.seed &* 31)
        var queries: [[Int]] = []
        for _ in 0..<150 {
            let document = documents[Int.random(in: 0..<documents.count, using: &rng)]
            guard !document.isEmpty else { continue }
            let length = Int.random(in: 1...min(8, document.count), using: &rng)
            let start = Int.random(in: 0...(document.count - length), using: &rng)
            queries.append(Array(document[start..<start + length]))
        }
        for _ in 0..<100 {
            let length = Int.random(in: 1...4, using: &rng)
            queries.append((0..<length).map { _ in Int.random(in: -1...(recipe.alphabet + 2), using: &rng) })
        }
        return queries
    }

    @Test(arguments: recipes)
    func queriesMatchBruteForce(recipe: CorpusRecipe) throws {
        let documents = recipe.documents()
        let index = try FMIndex(documents: documents, sampleRate: recipe.sampleRate)
        let brute = BruteForce(documents: documents)
        for ngram in Self.queries(for: recipe, documents: documents) {
            let expected = brute.occurrences(of: ngram)
            #expect(index.count(ngram) == expected.count, "count \(ngram)")
            let located = index.locate(ngram).map { Occurrence(document: $0.document, offset: $0.offset) }
            #expect(located.count == expected.count, "locate \(ngram)")
            #expect(Set(located) == Set(expected), "locate \(ngram)")
            #expect(index.documentFrequency(ngram) == Set(expected.map(\.document)).count, "df \(ngram)")
            let next = index.nextTokens(after: ngram)
            #expect(Dictionary(uniqueKeysWithValues: next.map { ($0.token, $0.count) }) == brute.nextTokens(after: ngram),
                    "next tokens \(ngram)")
            #expect(next.map(\.token) == next.map(\.token).sorted())
            let range = index.range(of: ngram)
            for continuation in next {
                #expect(continuation.range == index.extend(range, with: continuation.token))
                #expect(continuation.range == index.range(of: ngram + [continuation.token]))
            }
            let limited = index.locate(ngram, limit: 2)
            #expect(limited.count == min(2, expected.count))
        }
    }

    @Test(arguments: recipes)
    func documentsAndCountsRoundTrip(recipe: CorpusRecipe) throws {
        let documents = recipe.documents()
        let index = try FMIndex(documents: documents, sampleRate: recipe.sampleRate)
        #expect(index.documentCount == documents.count)
        #expect(index.tokenCount == documents.reduce(0) { $0 + $1.count })
        #expect(index.documentLengths == documents.map(\.count))
        for d in documents.indices {
            #expect(try index.document(d) == documents[d])
            #expect(try index.documentLength(d) == documents[d].count)
        }
        // From the full range, next tokens are the unigram counts.
        var unigrams: [Int: Int] = [:]
        for document in documents { for token in document { unigrams[token, default: 0] += 1 } }
        let next = index.nextTokens(after: index.fullRange)
        #expect(Dictionary(uniqueKeysWithValues: next.map { ($0.token, $0.count) }) == unigrams)
        #expect(index.count([]) == index.tokenCount + index.documentCount)
        #expect(index.locate([]).isEmpty)
    }

    /// The in-memory full suffix array locates exactly what the sampled one does, in the same
    /// order, and reads back every document.
    @Test(arguments: recipes)
    func denseLocatorMatchesSampledLocate(recipe: CorpusRecipe) throws {
        let documents = recipe.documents()
        let index = try FMIndex(documents: documents, sampleRate: recipe.sampleRate)
        let locator = index.makeDenseLocator()
        #expect(locator.documentTokens == documents)
        var rng = SplitMix64(seed: recipe.seed &+ 99)
        for document in documents where !document.isEmpty {
            let start = Int.random(in: 0..<document.count, using: &rng)
            let ngram = Array(document[start..<min(document.count, start + Int.random(in: 1...3, using: &rng))])
            let range = index.range(of: ngram)
            let dense = locator.locate(range)
            let sampled = index.locate(range)
            #expect(dense.map(\.document) == sampled.map(\.document) && dense.map(\.offset) == sampled.map(\.offset))
            #expect(locator.locate(range, limit: 1).count == 1)
        }
    }

    @Test func smallExampleFromTheDocumentation() throws {
        let index = try FMIndex(documents: [[5, 6, 7], [6, 7, 8]])
        #expect(index.count([6, 7]) == 2)
        #expect(index.locate([7, 8]).map { [$0.document, $0.offset] } == [[1, 1]])
        #expect(index.nextTokens(after: [6]).map(\.token) == [7])
        #expect(index.nextTokens(after: [7]).map(\.token) == [8])  // the end of document 0 is not a token
        #expect(index.count([7, 6]) == 0)  // no match across the document boundary
        var range = index.fullRange
        for token in [5, 6, 7] { range = index.extend(range, with: token) }
        #expect(range.count == 1 && range.length == 3)
        #expect(index.extend(range, with: 6).isEmpty)
    }

    @Test func rejectsBadInput() {
        #expect(throws: FMIndexError.emptyCorpus) { try FMIndex(documents: []) }
        #expect(throws: FMIndexError.invalidSampleRate(0)) { try FMIndex(documents: [[1]], sampleRate: 0) }
        #expect(throws: FMIndexError.tokenOutOfRange(document: 1, position: 1, token: -4)) {
            try FMIndex(documents: [[1], [2, -4]])
        }
        #expect(throws: FMIndexError.tokenOutOfRange(document: 0, position: 0, token: 1 << 30)) {
            try FMIndex(documents: [[1 << 30]])
        }
        let index = try? FMIndex(documents: [[1, 2]])
        #expect(throws: FMIndexError.documentOutOfRange(document: 3, documentCount: 1)) { try index?.document(3) }
    }

    @Test func emptyDocumentsAreAllowed() throws {
        let index = try FMIndex(documents: [[], [3, 3], [], [3]])
        #expect(index.documentLengths == [0, 2, 0, 1])
        #expect(try index.document(1) == [3, 3])
        #expect(Set(index.locate([3]).map { [$0.document, $0.offset] }) == [[1, 0], [1, 1], [3, 0]])
        #expect(index.documentFrequency([3]) == 2)
    }
}
