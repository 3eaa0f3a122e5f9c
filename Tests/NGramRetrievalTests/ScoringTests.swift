import FMIndex
import Foundation
import NGramRetrieval
import Testing

@Suite struct ScoringTests {
    @Test func weightMatchesTheFormulaByHand() {
        // P(n|q) = 0.5, count 5, N = 995, smoothing 5: P(n) = 10 / 1000 = 0.01.
        // w = log(0.5 * 0.99 / (0.01 * 0.5)) = log(99).
        let w = SEALScoring.weight(logProbability: log(0.5), count: 5, totalTokens: 995, smoothing: 5)
        #expect(abs(w - log(99)) < 1e-6)
        // A generator less sure than the corpus frequency gives weight 0, as does an absent n-gram.
        #expect(SEALScoring.weight(logProbability: log(0.001), count: 5, totalTokens: 995, smoothing: 5) == 0)
        #expect(SEALScoring.weight(logProbability: log(0.9), count: 0, totalTokens: 995, smoothing: 5) == 0)
        // log P = 0 stays finite.
        #expect(SEALScoring.weight(logProbability: 0, count: 5, totalTokens: 995, smoothing: 5).isFinite)
        #expect(abs(SEALScoring.coverage(of: [1, 2, 3, 4], covered: [3, 4, 9], beta: 0.8) - 0.6) < 1e-12)
        #expect(SEALScoring.coverage(of: [1, 2], covered: [], beta: 0.8) == 1)
    }

    /// Documents over tokens 1...9; keys and expected scores computed by hand.
    @Test func sumAndIntersectiveAggregationByHand() throws {
        let documents = [[1, 2, 3, 4, 5], [1, 2, 9, 9, 9], [6, 7, 8, 6, 7]]
        let index = try FMIndex(documents: documents)
        let scoring = SEALScoring(index: index, documents: documents)
        let total = index.tokenCount   // 15
        func w(_ p: Double, _ count: Int) -> Double {
            let pn = Double(count) / Double(total)
            return pow(max(0, log(p * (1 - pn) / (pn * (1 - p)))), 2)
        }
        let keys = [
            NGramKey(tokens: [1, 2, 3], logProbability: log(0.6), source: .body),   // doc 0
            NGramKey(tokens: [2, 3], logProbability: log(0.5), source: .body),      // doc 0, overlaps [1,2,3]
            NGramKey(tokens: [3, 4, 5], logProbability: log(0.4), source: .body),   // doc 0, overlaps at 3
            NGramKey(tokens: [4, 5], logProbability: log(0.45), source: .query),    // doc 0, free
            NGramKey(tokens: [1, 2], logProbability: log(0.3), source: .query),     // docs 0 and 1
            NGramKey(tokens: [6, 7], logProbability: log(0.7), source: .body),      // doc 2, twice
        ]
        var settings = ScoringSettings()
        settings.smoothing = 0   // P(n) = count / N keeps the hand computation short
        settings.aggregation = .sum
        let summed = scoring.rank(keys: keys, settings: settings, limit: 10)
        let w123 = w(0.6, 1), w45 = w(0.45, 1), w12 = w(0.3, 2), w67 = w(0.7, 2)
        // doc 0: [1,2,3] wins positions 0-2; [2,3], [3,4,5], [1,2] overlap it; [4,5] is free.
        let expected0 = w123 + w45
        let scores = Dictionary(uniqueKeysWithValues: summed.map { ($0.document, $0.score) })
        #expect(abs(scores[0]! - expected0) < 1e-6)
        #expect(abs(scores[1]! - w12) < 1e-6)
        #expect(abs(scores[2]! - w67) < 1e-6, "an n-gram counts once per document however often it occurs")
        #expect(summed.first { $0.document == 2 }!.ngrams[0].spans == [0..<2, 3..<5])

        settings.aggregation = .intersective
        let intersective = Dictionary(uniqueKeysWithValues: scoring.rank(keys: keys, settings: settings, limit: 10).map { ($0.document, $0.score) })
        // Token sets {1,2,3} then {4,5}: no shared token, so coverage keeps [4,5] whole.
        #expect(abs(intersective[0]! - (w123 + w45)) < 1e-6)
        // Coverage bites when a later n-gram repeats tokens of a better one.
        let single = [1, 2, 7, 9, 9, 2]
        let other = try FMIndex(documents: [single])
        let coverageScoring = SEALScoring(index: other, documents: [single])
        let coverageKeys = [NGramKey(tokens: [1, 2], logProbability: log(0.6), source: .body),
                            NGramKey(tokens: [9, 9, 2], logProbability: log(0.5), source: .body)]
        // N = 6: P([1,2]) = P([9,9,2]) = 1/6.
        let a = pow(log(0.6 * (5.0 / 6) / ((1.0 / 6) * 0.4)), 2)   // log(7.5)^2, ranks first
        let b = pow(log(0.5 * (5.0 / 6) / ((1.0 / 6) * 0.5)), 2)   // log(5)^2
        let top = coverageScoring.rank(keys: coverageKeys, settings: settings, limit: 1)[0]
        // [9,9,2] after [1,2]: token 2 is covered -> factor 1 - 0.8 + 0.8 * 1/2 = 0.6.
        #expect(abs(top.score - (a + 0.6 * b)) < 1e-6)
        #expect(top.ngrams.map(\.tokens) == [[1, 2], [9, 9, 2]])
        settings.aggregation = .sum
        #expect(abs(coverageScoring.rank(keys: coverageKeys, settings: settings, limit: 1)[0].score - (a + b)) < 1e-6)
    }

    @Test func rankIsOrderedAndLimited() throws {
        let documents = [[1, 2], [1, 3], [1, 4], [5]]
        let index = try FMIndex(documents: documents)
        let scoring = SEALScoring(index: index, documents: documents)
        let keys = [NGramKey(tokens: [1, 3], logProbability: log(0.9), source: .body),
                    NGramKey(tokens: [1], logProbability: log(0.8), source: .body)]
        let ranked = scoring.rank(keys: keys, settings: ScoringSettings(), limit: 2)
        #expect(ranked.map(\.document) == [1, 0])
    }
}

@Suite struct UnigramScoringTests {
    /// SEAL's unigram evidence: every token gets the weight formula (no exponent) from the
    /// first-token distribution; the best join the keys; free tokens add their weight.
    @Test func unigramWeightsByHand() throws {
        let documents = [[1, 2, 3], [4, 5, 6], [4, 6, 6]]
        let index = try FMIndex(documents: documents)
        let scoring = SEALScoring(index: index, documents: documents, excludedUnigrams: [0])
        var settings = ScoringSettings()
        settings.smoothing = 0
        settings.aggregation = .sum
        settings.unigramScores = true
        // Vocabulary 0...6; token 5 likely, token 0 excluded, token 1 is a single-token key.
        var logP = [Double](repeating: log(0.01), count: 7)
        logP[5] = log(0.5)
        logP[0] = log(0.3)
        logP[1] = log(0.1)
        let keys = [NGramKey(tokens: [1], logProbability: log(0.9), source: .query)]
        let weights = scoring.unigramWeights(logProbabilities: logP, singleTokenKeys: [1], settings: settings)
        let pn = 1.0 / 9
        #expect(abs(weights[5] - log(0.5 * (1 - pn) / (pn * 0.5))) < 1e-6)
        #expect(weights[0] == 0 && weights[1] == 0 && weights[6] == 0)
        let key = pow(log(0.9 * (1 - pn) / (pn * 0.1)), 2)
        let ranked = scoring.rank(keys: keys, unigramLogProbabilities: logP, settings: settings, limit: 3)
        let scores = Dictionary(uniqueKeysWithValues: ranked.map { ($0.document, $0.score) })
        #expect(abs(scores[0]! - key) < 1e-6)
        // Token 5 is the best unigram: it joins the keys (one key -> one unigram) and scores doc 1.
        #expect(abs(scores[1]! - weights[5]) < 1e-6)
        #expect(scores[2] == nil)
        settings.unigramScores = false
        #expect(scoring.rank(keys: keys, unigramLogProbabilities: logP, settings: settings, limit: 3).map(\.document) == [0])
    }
}
